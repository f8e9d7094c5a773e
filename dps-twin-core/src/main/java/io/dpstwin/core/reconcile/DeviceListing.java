package io.dpstwin.core.reconcile;

import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.internal.twins.BudgetedRetry;
import io.dpstwin.core.twins.RetryBudget;
import io.dpstwin.core.internal.support.SlidingWindowLimiter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Lists every device of one hub through a {@link DeviceCursor}, paced and retried:
 *
 * <ul>
 *   <li>a permit of the hub's query limiter is taken before the first page request, after every page request that
 *       left more pages to fetch (so it is in hand before the next request goes out), and before every repeated
 *       request;</li>
 *   <li>a transient failure is retried within the {@link RetryBudget}: the hub's {@code Retry-After} when given
 *       (capped), else exponential backoff with jitter; attempts and total time are counted per page request
 *       ({@link BudgetedRetry}, meters tagged {@code retry=iothub.query}).</li>
 * </ul>
 */
final class DeviceListing {

    /** The {@code retry} tag of the device query's retry meters. */
    static final String RETRY_NAME = "iothub.query";

    private final DeviceInventory inventory;
    private final HubLimiters limiters;
    private final BudgetedRetry retry;

    DeviceListing(DeviceInventory inventory, HubLimiters limiters, RetryBudget budget,
                  Sleeper sleeper, LongSupplier nanoTime, MeterRegistry meters) {
        this.inventory = inventory;
        this.limiters = limiters;
        this.retry = BudgetedRetry.builder(RETRY_NAME, budget)
                .retryOn(failure -> failure instanceof DeviceInventoryException d && d.isTransient())
                .retryAfter(failure -> failure instanceof DeviceInventoryException d ? d.retryAfter() : Optional.empty())
                .failureTag(failure -> failure instanceof DeviceInventoryException d
                        ? String.valueOf(d.statusCode()) : failure.getClass().getSimpleName())
                .sleeper(sleeper)
                .nanoTime(nanoTime)
                .meterRegistry(meters)
                .build();
    }

    /**
     * Every device of {@code hub}, in a list (small hubs and tests; the reconciler streams with {@link #stream}).
     *
     * @throws DeviceInventoryException a permanent failure, or a transient one the budget could not absorb
     */
    List<DeviceRecord> list(String hub, java.util.function.LongConsumer onDevices) {
        List<DeviceRecord> devices = new ArrayList<>();
        stream(hub, device -> {
            devices.add(device);
            onDevices.accept(1);
        });
        return devices;
    }

    /**
     * Hands every device of {@code hub} to {@code sink} as it arrives, holding no more than the current page.
     *
     * @throws DeviceInventoryException a permanent failure, or a transient one the budget could not absorb
     */
    void stream(String hub, Consumer<DeviceRecord> sink) {
        SlidingWindowLimiter pages = limiters.queries(hub);
        DeviceCursor cursor = inventory.listDevices(hub);
        permit(pages, hub);
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new DeviceInventoryException(hub, 0, false, null,
                        "listing the devices of IoT hub '" + hub + "' was interrupted", null);
            }
            int requestsBefore = cursor.requestsSent();
            Optional<DeviceRecord> next;
            try {
                next = cursor.next();
                if (cursor.requestsSent() > requestsBefore) {
                    // a page request that succeeded at once: counted like any retried call, per page, not per device
                    Optional<DeviceRecord> first = next;
                    retry.call(attempt -> first);
                }
            } catch (RuntimeException failure) {
                // the first attempt failed: the retry takes over from its second attempt, a permit before each
                next = retry.call(attempt -> {
                    if (attempt == 1) {
                        throw failure;
                    }
                    permit(pages, hub);
                    return cursor.next();
                });
            }
            if (cursor.requestsSent() > requestsBefore && cursor.hasMorePages()) {
                permit(pages, hub);
            }
            if (next.isEmpty()) {
                return;
            }
            sink.accept(next.get());
        }
    }

    private static void permit(SlidingWindowLimiter limiter, String hub) {
        if (!HubLimiters.acquire(limiter)) {
            throw new DeviceInventoryException(hub, 429, true, null, "no device query permit for IoT hub '" + hub
                    + "' within the wait limit" + (Thread.currentThread().isInterrupted() ? " (interrupted)" : ""),
                    null);
        }
    }
}
