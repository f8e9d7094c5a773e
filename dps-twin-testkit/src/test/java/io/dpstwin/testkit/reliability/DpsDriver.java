package io.dpstwin.testkit.reliability;

import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.allocation.DpsAllocationHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plays DPS against the allocation webhook: each registration is POSTed (here: handed to the handler) and, like DPS,
 * retried when the answer is 429 or more, up to 10 times, waiting {@code initial}, then {@code initial + increment},
 * {@code initial + 2 * increment}... (DPS: 1 s and 9 s). Any other answer ends the registration.
 */
public final class DpsDriver {

    /** DPS retries this many times. */
    public static final int DPS_RETRIES = 10;

    private final DpsAllocationHandler handler;
    private final Duration initial;
    private final Duration increment;

    /** A driver with DPS's own schedule scaled by {@code scale} (1.0: 1 s, then 9 s more each time). */
    public DpsDriver(DpsAllocationHandler handler, double scale) {
        this.handler = handler;
        this.initial = Duration.ofMillis(Math.round(1_000 * scale));
        this.increment = Duration.ofMillis(Math.round(9_000 * scale));
    }

    /**
     * One registration and its retries.
     *
     * @param body     the request body
     * @param statuses the status of every answer, in order
     * @param last     the final answer
     */
    public record Registration(String body, List<Integer> statuses, WebhookResponse last) {
        public boolean allocated() {
            return last.status() == 200;
        }
    }

    /** Registers one device, retrying like DPS. */
    public Registration register(String body) {
        List<Integer> statuses = new ArrayList<>();
        WebhookResponse answer = handler.handle(body);
        statuses.add(answer.status());
        for (int retry = 0; retry < DPS_RETRIES && answer.status() >= 429; retry++) {
            try {
                Thread.sleep(initial.plus(increment.multipliedBy(retry)).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to retry like DPS", e);
            }
            answer = handler.handle(body);
            statuses.add(answer.status());
        }
        return new Registration(body, List.copyOf(statuses), answer);
    }

    /** Registers every body, {@code parallelism} at a time; the results in input order. */
    public List<Registration> registerAll(List<String> bodies, int parallelism) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<Registration>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> register(body)));
            }
            List<Registration> results = new ArrayList<>();
            for (Future<Registration> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a registration failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
