package io.dpstwin.benchmarks.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.internal.reconcile.AdtQueries;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.ModelInfo;
import io.dpstwin.core.twins.QueryPage;
import io.dpstwin.core.twins.Relationship;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The twins of a {@link Fleet} behind Azure Digital Twins' query API, generated page by page: the reconciler's two
 * queries ({@code IS_OF_MODEL} listing, up to {@value #PAGE_SIZE} twins a page, and {@code $dtId IN [...]} of at most
 * {@value AdtQueries#MAX_IN_ITEMS} ids) are answered from the seed, nothing stored. The query quota, 500 requests
 * and 4,000 query units per second, is enforced as two token buckets holding one second's worth, on a clock
 * compressed by {@code speedup}: a request is answered once both allow it (it waits, as in a queue; it is never
 * served over the quota). Query units are not published per query, so a query is charged 1 unit plus 1 per twin it
 * returns (an assumption, stated in docs/performance.md). Only {@link #query} is implemented: the scenario plans.
 */
final class GeneratedTwins implements DigitalTwinsGateway {

    static final int PAGE_SIZE = 1000;
    static final int REQUESTS_PER_SECOND = 500;
    static final int QUERY_UNITS_PER_SECOND = 4000;

    private static final String LIST_PREFIX = "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL(";
    private static final String IN_PREFIX = "SELECT * FROM DIGITALTWINS WHERE $dtId IN [";

    private final Fleet fleet;
    private final QuotaBucket requestQuota;
    private final QuotaBucket unitQuota;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong inQueries = new AtomicLong();
    private final AtomicLong inItems = new AtomicLong();
    private final AtomicLong queryUnits = new AtomicLong();
    private final String lastUpdated = Fleet.TWIN_UPDATED.toString();

    GeneratedTwins(Fleet fleet, double speedup) {
        this.fleet = fleet;
        this.requestQuota = new QuotaBucket(REQUESTS_PER_SECOND, REQUESTS_PER_SECOND, speedup, System::nanoTime);
        this.unitQuota = new QuotaBucket(QUERY_UNITS_PER_SECOND, QUERY_UNITS_PER_SECOND, speedup, System::nanoTime);
    }

    long requests() {
        return requests.get();
    }

    long inQueries() {
        return inQueries.get();
    }

    long inItems() {
        return inItems.get();
    }

    long queryUnits() {
        return queryUnits.get();
    }

    @Override
    public QueryPage query(String query, String continuationToken) {
        requests.incrementAndGet();
        QueryPage page;
        if (query.startsWith(LIST_PREFIX)) {
            if (!query.equals(AdtQueries.twinsOfModel(Fleet.MODEL))) {
                page = new QueryPage(List.of(), null);
            } else {
                page = listing(continuationToken == null ? 0 : Long.parseLong(continuationToken));
            }
        } else if (query.startsWith(IN_PREFIX) && query.endsWith("]")) {
            page = byIds(query.substring(IN_PREFIX.length(), query.length() - 1));
        } else {
            throw new UnsupportedOperationException("not a query of the reconciler: " + query);
        }
        long units = 1 + page.items().size();
        queryUnits.addAndGet(units);
        waitNanos(Math.max(requestQuota.take(1), unitQuota.take(units)));
        return page;
    }

    private QueryPage listing(long from) {
        List<ObjectNode> rows = new ArrayList<>(PAGE_SIZE);
        long slot = from;
        long slots = fleet.twinSlots();
        while (slot < slots && rows.size() < PAGE_SIZE) {
            String id = fleet.twinAt(slot++);
            if (id != null) {
                rows.add(row(id));
            }
        }
        return new QueryPage(rows, slot < slots ? Long.toString(slot) : null);
    }

    private QueryPage byIds(String list) {
        inQueries.incrementAndGet();
        List<ObjectNode> rows = new ArrayList<>();
        for (String literal : list.split(", ")) {
            if (literal.length() < 2 || literal.charAt(0) != '\'' || literal.charAt(literal.length() - 1) != '\'') {
                throw new UnsupportedOperationException("unexpected literal " + literal);
            }
            inItems.incrementAndGet();
            String id = literal.substring(1, literal.length() - 1);
            if (fleet.twinExists(id)) {
                rows.add(row(id));
            }
        }
        return new QueryPage(rows, null);
    }

    private ObjectNode row(String id) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("$dtId", id);
        row.put("$etag", "W/\"1\"");
        ObjectNode metadata = row.putObject("$metadata");
        metadata.put("$model", Fleet.MODEL);
        metadata.put("$lastUpdateTime", lastUpdated);
        return row;
    }

    private static void waitNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static UnsupportedOperationException planOnly() {
        return new UnsupportedOperationException("the fleet scenario only plans");
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        throw planOnly();
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        throw planOnly();
    }

    @Override
    public DigitalTwin createOrReplaceTwin(DigitalTwin twin) {
        throw planOnly();
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        throw planOnly();
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        throw planOnly();
    }

    @Override
    public Relationship createRelationshipIfAbsent(Relationship relationship) {
        throw planOnly();
    }

    @Override
    public Relationship createOrReplaceRelationship(Relationship relationship) {
        throw planOnly();
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        throw planOnly();
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        throw planOnly();
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        throw planOnly();
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        throw planOnly();
    }

    @Override
    public List<ModelInfo> createModels(List<String> dtdlModels) {
        throw planOnly();
    }

    @Override
    public Optional<ModelInfo> getModel(String modelId) {
        throw planOnly();
    }
}
