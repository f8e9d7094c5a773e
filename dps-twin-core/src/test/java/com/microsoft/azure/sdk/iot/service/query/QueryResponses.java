package com.microsoft.azure.sdk.iot.service.query;

/**
 * Builds real {@link RawQueryResponse} pages for tests: the SDK sets a page's continuation token (from the
 * {@code x-ms-continuation} header) through a package-private setter, which this test helper reaches by living in the
 * SDK's package. With a mocked {@link QueryClient} behind them, the SDK's own paging code runs.
 */
public final class QueryResponses {

    private QueryResponses() {
    }

    /** A page of {@code rows} (JSON objects) for {@code query}, followed by {@code continuationToken} (null: last). */
    public static RawQueryResponse page(QueryClient client, String query, String continuationToken, String... rows) {
        RawQueryResponse response = new RawQueryResponse("[" + String.join(",", rows) + "]", client, query);
        response.setContinuationToken(continuationToken);
        return response;
    }
}
