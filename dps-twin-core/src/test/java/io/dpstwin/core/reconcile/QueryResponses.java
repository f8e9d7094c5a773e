package io.dpstwin.core.reconcile;

import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.RawQueryResponse;

import java.lang.reflect.Field;

/**
 * Builds real {@link RawQueryResponse} pages for tests. The SDK sets a page's continuation token (from the
 * {@code x-ms-continuation} header) through a package-private setter, and its jar is signed, so a test helper cannot
 * join its package: the field is set by reflection instead. With a mocked {@link QueryClient} behind the pages, the
 * SDK's own paging code runs.
 */
final class QueryResponses {

    private QueryResponses() {
    }

    /** A page of {@code rows} (JSON objects) for {@code query}, followed by {@code continuationToken} (null: last). */
    static RawQueryResponse page(QueryClient client, String query, String continuationToken, String... rows) {
        RawQueryResponse response = new RawQueryResponse("[" + String.join(",", rows) + "]", client, query);
        try {
            Field token = RawQueryResponse.class.getDeclaredField("continuationToken");
            token.setAccessible(true);
            token.set(response, continuationToken);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("RawQueryResponse changed: no continuationToken field", e);
        }
        return response;
    }
}
