package io.dpstwin.core.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.HandFakeGateway;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.QueryPage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link HandFakeGateway} plus the two query shapes the reconciler sends (core cannot use the testkit's query engine):
 * {@code SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('m')} (exact model, no inheritance) and
 * {@code SELECT * FROM DIGITALTWINS WHERE $dtId IN ['a', ...]}; anything else is a 400. Literals are unescaped as ADT
 * does. Rows carry {@code $metadata.$lastUpdateTime} from the fake's clock; results are paged.
 */
class QueryingFakeGateway extends HandFakeGateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BY_MODEL = "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(?)";
    private static final String BY_IDS_PREFIX = "SELECT * FROM DIGITALTWINS WHERE $dtId IN [";

    private final Clock clock;
    private final int pageSize;
    /** twin id -> (model, last update), sorted for stable paging. */
    private final Map<String, Object[]> index = new TreeMap<>();
    private final Map<String, List<ObjectNode>> cursors = new ConcurrentHashMap<>();
    private final Deque<RuntimeException> queryFailures = new ArrayDeque<>();
    private final List<String> queries = new ArrayList<>();
    private final AtomicInteger writes = new AtomicInteger();

    QueryingFakeGateway(Clock clock, int pageSize) {
        this.clock = clock;
        this.pageSize = pageSize;
    }

    synchronized void failNextQuery(RuntimeException failure) {
        queryFailures.add(failure);
    }

    /** Every query text received (first pages only). */
    synchronized List<String> queries() {
        return List.copyOf(queries);
    }

    /** Writes (creates, replaces, updates, deletes of twins) since construction. */
    int writes() {
        return writes.get();
    }

    synchronized Set<String> twinIds() {
        return new HashSet<>(index.keySet());
    }

    /** Sets a twin's {@code $lastUpdateTime} (as if it was written then). */
    synchronized void lastUpdated(String twinId, Instant when) {
        Object[] entry = index.get(twinId);
        entry[1] = when;
    }

    @Override
    public synchronized DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        return indexed(super.createTwinIfAbsent(twin));
    }

    @Override
    public synchronized DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        return indexed(super.createOrReplaceTwin(twin));
    }

    /** Puts a twin just written into the query index, as written now, and counts the write. */
    private DigitalTwin indexed(DigitalTwin stored) {
        index.put(stored.id(), new Object[]{stored.modelId(), clock.instant()});
        writes.incrementAndGet();
        return stored;
    }

    @Override
    public synchronized void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        super.updateTwin(twinId, patch, ifMatch);
        index.put(twinId, new Object[]{getTwin(twinId).orElseThrow().modelId(), clock.instant()});
        writes.incrementAndGet();
    }

    @Override
    public synchronized void deleteTwin(String twinId, String ifMatch) {
        super.deleteTwin(twinId, ifMatch);
        index.remove(twinId);
        writes.incrementAndGet();
    }

    @Override
    public synchronized QueryPage query(String query, String continuationToken) {
        RuntimeException failure = queryFailures.poll();
        if (failure != null) {
            throw failure;
        }
        List<ObjectNode> rows;
        if (continuationToken == null) {
            queries.add(query);
            rows = evaluate(query);
        } else {
            rows = cursors.remove(continuationToken);
            if (rows == null) {
                throw new AdtException(400, AdtErrorCodes.BAD_REQUEST, "unknown continuation token");
            }
        }
        if (rows.size() <= pageSize) {
            return new QueryPage(rows, null);
        }
        String token = UUID.randomUUID().toString();
        cursors.put(token, new ArrayList<>(rows.subList(pageSize, rows.size())));
        return new QueryPage(rows.subList(0, pageSize), token);
    }

    private List<ObjectNode> evaluate(String query) {
        QueryLiterals.Parsed parsed;
        try {
            parsed = QueryLiterals.parse(query);
        } catch (IllegalArgumentException e) {
            throw new AdtException(400, AdtErrorCodes.SQL_QUERY_ERROR, e.getMessage());
        }
        Set<String> wantedIds = null;
        String wantedModel = null;
        if (parsed.skeleton().equals(BY_MODEL)) {
            wantedModel = parsed.literals().get(0);
        } else if (parsed.skeleton().startsWith(BY_IDS_PREFIX) && parsed.skeleton().endsWith("]")
                && parsed.skeleton().substring(BY_IDS_PREFIX.length(), parsed.skeleton().length() - 1)
                .matches("\\?(, \\?)*")) {
            wantedIds = new HashSet<>(parsed.literals());
        } else {
            throw new AdtException(400, AdtErrorCodes.SQL_QUERY_ERROR, "unsupported query: " + query);
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (Map.Entry<String, Object[]> entry : index.entrySet()) {
            String model = (String) entry.getValue()[0];
            if ((wantedModel != null && wantedModel.equals(model))
                    || (wantedIds != null && wantedIds.contains(entry.getKey()))) {
                ObjectNode row = JSON.createObjectNode();
                row.put("$dtId", entry.getKey());
                row.put("$etag", "W/\"x\"");
                ObjectNode metadata = row.putObject("$metadata");
                metadata.put("$model", model);
                metadata.put("$lastUpdateTime", entry.getValue()[1].toString());
                rows.add(row);
            }
        }
        return rows;
    }
}
