package io.dpstwin.core.retirement;

import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.twins.IncomingRelationship;
import io.dpstwin.core.twins.JsonPatchOperation;
import io.dpstwin.core.twins.Relationship;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Injects ADT faults at given rates: 429 {@code TooManyRequests} with {@code Retry-After} (the request was not
 * executed) and 503 {@code ServiceUnavailable} (half of the time on writes after the request was executed: a lost
 * answer, as when a gateway times out). Faults are drawn from one seeded {@link Random} per twin id (the first id of
 * each call), so a run is reproducible whatever the thread interleaving as long as each twin is used by one thread
 * at a time, which is what the processor guarantees.
 */
public final class FaultInjectingGateway extends ForwardingGateway {

    private final long seed;
    private final double throttleRate;
    private final double unavailableRate;
    private final Duration retryAfter;
    private final Map<String, Random> randoms = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger lostAnswers = new AtomicInteger();

    public FaultInjectingGateway(DigitalTwinsGateway delegate, long seed, double throttleRate, double unavailableRate,
                                 Duration retryAfter) {
        super(delegate);
        this.seed = seed;
        this.throttleRate = throttleRate;
        this.unavailableRate = unavailableRate;
        this.retryAfter = retryAfter;
    }

    public int throttled() {
        return throttled.get();
    }

    public int unavailable() {
        return unavailable.get();
    }

    public int lostAnswers() {
        return lostAnswers.get();
    }

    private <T> T inject(String key, boolean write, Supplier<T> call) {
        Random random = randoms.computeIfAbsent(key, k -> new Random(seed * 31 + k.hashCode()));
        double draw;
        boolean afterwards;
        synchronized (random) {
            draw = random.nextDouble();
            afterwards = random.nextBoolean();
        }
        if (draw < throttleRate) {
            throttled.incrementAndGet();
            throw new AdtException(429, AdtErrorCodes.TOO_MANY_REQUESTS, "Too many requests (injected)", retryAfter, null);
        }
        if (draw < throttleRate + unavailableRate) {
            unavailable.incrementAndGet();
            if (write && afterwards) {
                call.get();
                lostAnswers.incrementAndGet();
            }
            throw new AdtException(503, AdtErrorCodes.SERVICE_UNAVAILABLE, "Service unavailable (injected)");
        }
        return call.get();
    }

    private void injectVoid(String key, boolean write, Runnable call) {
        inject(key, write, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public Optional<DigitalTwin> getTwin(String twinId) {
        return inject(twinId, false, () -> delegate.getTwin(twinId));
    }

    @Override
    public DigitalTwin createTwinIfAbsent(DigitalTwin twin) {
        return inject(twin.id(), true, () -> delegate.createTwinIfAbsent(twin));
    }

    @Override
    public void updateTwin(String twinId, List<JsonPatchOperation> patch, String ifMatch) {
        injectVoid(twinId, true, () -> delegate.updateTwin(twinId, patch, ifMatch));
    }

    @Override
    public void deleteTwin(String twinId, String ifMatch) {
        injectVoid(twinId, true, () -> delegate.deleteTwin(twinId, ifMatch));
    }

    @Override
    public Optional<Relationship> getRelationship(String sourceTwinId, String relationshipId) {
        return inject(sourceTwinId, false, () -> delegate.getRelationship(sourceTwinId, relationshipId));
    }

    @Override
    public void deleteRelationship(String sourceTwinId, String relationshipId, String ifMatch) {
        injectVoid(sourceTwinId, true, () -> delegate.deleteRelationship(sourceTwinId, relationshipId, ifMatch));
    }

    @Override
    public List<Relationship> listRelationships(String twinId, String relationshipName) {
        return inject(twinId, false, () -> delegate.listRelationships(twinId, relationshipName));
    }

    @Override
    public List<IncomingRelationship> listIncomingRelationships(String twinId) {
        return inject(twinId, false, () -> delegate.listIncomingRelationships(twinId));
    }
}
