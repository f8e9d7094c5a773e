package io.dpstwin.core.reconcile;

import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.twins.RetryingDigitalTwinsGateway;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Lists every device of one hub through a {@link DeviceCursor}, paced and retried:
 *
 * <ul>
 *   <li>a permit of the hub's query limiter is taken before the first page request, after every page request that
 *       left more pages to fetch (so it is in hand before the next request goes out), and before every repeated
 *       request;</li>
 *   <li>a transient failure is retried within the {@link RetryBudget}: the hub's {@code Retry-After} when given
 *       (capped), else exponential backoff with jitter; attempts and total time are counted per page request.</li>
 * </ul>
 */
final class DeviceListing {

    static final String RETRIES_METER = "dpstwin.reconcile.registry.retries";

    private static final Logger LOG = LoggerFactory.getLogger(DeviceListing.class);

    private final DeviceInventory inventory;
    private final HubLimiters limiters;
    private final RetryBudget budget;
    private final Retry retry;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final MeterRegistry meters;

    DeviceListing(DeviceInventory inventory, HubLimiters limiters, RetryBudget budget,
                  Sleeper sleeper, LongSupplier nanoTime, MeterRegistry meters) {
        this.inventory = inventory;
        this.limiters = limiters;
        this.budget = budget;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
        this.meters = meters;
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(budget.initialBackoff(), 2.0, 0.5,
                budget.maxBackoff());
        this.retry = Retry.of("dpstwin-iothub-query", RetryConfig.custom()
                .maxAttempts(budget.maxAttempts())
                .retryOnException(failure -> failure instanceof DeviceInventoryException d && d.isTransient())
                .intervalBiFunction((Integer attempt, Either<Throwable, Object> outcome) ->
                        waitMillis(attempt, outcome, backoff))
                .failAfterMaxAttempts(false)
                .build());
    }

    private long waitMillis(int attempt, Either<Throwable, Object> outcome, IntervalFunction backoff) {
        if (outcome.isLeft() && outcome.getLeft() instanceof DeviceInventoryException failure) {
            Optional<Duration> retryAfter = failure.retryAfter().filter(delay -> !delay.isZero() && !delay.isNegative());
            if (retryAfter.isPresent()) {
                return Math.min(retryAfter.get().toMillis(), budget.maxRetryAfter().toMillis());
            }
        }
        return Math.min(backoff.apply(attempt), budget.maxBackoff().toMillis());
    }

    /**
     * Every device of {@code hub}.
     *
     * @throws DeviceInventoryException a permanent failure, or a transient one the budget could not absorb
     */
    List<DeviceRecord> list(String hub, java.util.function.LongConsumer onDevices) {
        RateLimiter pages = limiters.queries(hub);
        DeviceCursor cursor = inventory.listDevices(hub);
        List<DeviceRecord> devices = new ArrayList<>();
        permit(pages, hub);
        Retry.AsyncContext<Object> attempts = null;
        long requestStart = 0;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new DeviceInventoryException(hub, 0, false, null,
                        "listing the devices of IoT hub '" + hub + "' was interrupted", null);
            }
            int requestsBefore = cursor.requestsSent();
            Optional<DeviceRecord> next;
            try {
                next = cursor.next();
            } catch (DeviceInventoryException failure) {
                if (attempts == null) {
                    attempts = retry.asyncContext();
                    requestStart = nanoTime.getAsLong();
                }
                long delay = attempts.onError(failure);
                if (delay < 0) {
                    throw failure;
                }
                Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - requestStart);
                if (elapsed.plusMillis(delay).compareTo(budget.maxTotalTime()) > 0) {
                    LOG.debug("Device query of {} failed ({}); a retry in {} ms would overrun the {} ms budget",
                            hub, failure.statusCode(), delay, budget.maxTotalTime().toMillis());
                    throw failure;
                }
                Counter.builder(RETRIES_METER)
                        .description("Device query page requests repeated after a transient failure")
                        .tag("hub", hub)
                        .tag("status", String.valueOf(failure.statusCode()))
                        .register(meters)
                        .increment();
                LOG.debug("Device query of {} failed ({}); repeating the page request in {} ms", hub,
                        failure.statusCode(), delay);
                try {
                    sleeper.sleep(Duration.ofMillis(delay));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failure.addSuppressed(interrupted);
                    throw failure;
                }
                permit(pages, hub);
                continue;
            }
            if (cursor.requestsSent() > requestsBefore) {
                if (attempts != null) {
                    attempts.onComplete();
                    attempts = null;
                }
                if (cursor.hasMorePages()) {
                    permit(pages, hub);
                }
            }
            if (next.isEmpty()) {
                return devices;
            }
            devices.add(next.get());
            onDevices.accept(1);
        }
    }

    private static void permit(RateLimiter limiter, String hub) {
        if (!HubLimiters.acquire(limiter)) {
            throw new DeviceInventoryException(hub, 429, true, null, "no device query permit for IoT hub '" + hub
                    + "' within the wait limit" + (Thread.currentThread().isInterrupted() ? " (interrupted)" : ""),
                    null);
        }
    }
}
