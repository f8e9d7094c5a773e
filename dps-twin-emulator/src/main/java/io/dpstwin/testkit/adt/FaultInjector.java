package io.dpstwin.testkit.adt;

import io.dpstwin.core.support.Sleeper;
import io.dpstwin.core.twins.AdtErrorCodes;
import io.dpstwin.core.twins.AdtException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults the emulated service injects before it handles a request: throttling (429 with {@code Retry-After}),
 * 503, latency and dropped connections, each for some operations (all when none are named) at a rate, plus
 * one-off failures of the next request. Rates draw from one {@link Random} seeded with {@link #seed(long)}, so a
 * sequence of requests meets the same faults on every run. Nothing is injected by default. Thread-safe.
 */
public final class FaultInjector {

    private enum Kind { THROTTLE, UNAVAILABLE, LATENCY, DROP_CONNECTION }

    private record Rule(Kind kind, double rate, Duration min, Duration max, Set<AdtOperation> operations) {
        boolean appliesTo(AdtOperation operation) {
            return operations.isEmpty() || operations.contains(operation);
        }
    }

    private record OneOff(AdtOperation operation, AdtException failure) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Deque<OneOff> oneOffs = new ArrayDeque<>();
    private final Sleeper sleeper;
    private Random random;

    FaultInjector(long seed, Sleeper sleeper) {
        this.random = new Random(seed);
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Restarts the random sequence the rates draw from. */
    public synchronized FaultInjector seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /**
     * Answers 429 {@code TooManyRequests} to a share {@code rate} (0..1) of the requests of {@code operations}, with a
     * {@code Retry-After} of whole seconds between {@code minRetryAfter} and {@code maxRetryAfter}.
     */
    public FaultInjector throttle(double rate, Duration minRetryAfter, Duration maxRetryAfter,
                                  AdtOperation... operations) {
        checkRange(minRetryAfter, maxRetryAfter);
        rules.add(new Rule(Kind.THROTTLE, checkRate(rate), minRetryAfter, maxRetryAfter, set(operations)));
        return this;
    }

    /** Answers 503 {@code ServiceUnavailable} to a share {@code rate} (0..1) of the requests of {@code operations}. */
    public FaultInjector unavailable(double rate, AdtOperation... operations) {
        rules.add(new Rule(Kind.UNAVAILABLE, checkRate(rate), null, null, set(operations)));
        return this;
    }

    /** Delays every request of {@code operations} by a time between {@code min} and {@code max}. */
    public FaultInjector latency(Duration min, Duration max, AdtOperation... operations) {
        checkRange(min, max);
        rules.add(new Rule(Kind.LATENCY, 1.0, min, max, set(operations)));
        return this;
    }

    /**
     * Drops the connection of a share {@code rate} (0..1) of the requests of {@code operations}: the emulator closes
     * it without an answer, the in-memory fake throws {@link ConnectionDroppedException}.
     */
    public FaultInjector dropConnection(double rate, AdtOperation... operations) {
        rules.add(new Rule(Kind.DROP_CONNECTION, checkRate(rate), null, null, set(operations)));
        return this;
    }

    /** Makes the next request of {@code operation} ({@code null}: of any operation) fail with {@code failure}. */
    public synchronized FaultInjector failNext(AdtOperation operation, AdtException failure) {
        oneOffs.add(new OneOff(operation, Objects.requireNonNull(failure, "failure")));
        return this;
    }

    /** Makes the next request, whatever its operation, answer 429 with {@code Retry-After: retryAfter}. */
    public FaultInjector throttleNext(Duration retryAfter) {
        return failNext(null, throttled(retryAfter));
    }

    /** Removes every rule and pending one-off failure. */
    public synchronized void clear() {
        rules.clear();
        oneOffs.clear();
    }

    /** Whether any rule or one-off failure is pending. */
    public synchronized boolean isActive() {
        return !rules.isEmpty() || !oneOffs.isEmpty();
    }

    /** Applies the faults for one request: waits for latency, throws for failures. */
    void apply(AdtOperation operation) {
        AdtException failure = null;
        Duration delay = Duration.ZERO;
        synchronized (this) {
            for (var iterator = oneOffs.iterator(); iterator.hasNext(); ) {
                OneOff oneOff = iterator.next();
                if (oneOff.operation() == null || oneOff.operation() == operation) {
                    iterator.remove();
                    failure = oneOff.failure();
                    break;
                }
            }
            for (Rule rule : rules) {
                if (failure != null || !rule.appliesTo(operation)) {
                    continue;
                }
                if (rule.kind() == Kind.LATENCY) {
                    delay = delay.plus(between(rule.min(), rule.max()));
                } else if (random.nextDouble() < rule.rate()) {
                    failure = switch (rule.kind()) {
                        case THROTTLE -> throttled(Duration.ofSeconds(
                                (between(rule.min(), rule.max()).toMillis() + 999) / 1000));
                        case UNAVAILABLE -> new AdtServiceException(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                                "The service is temporarily unavailable (injected fault on " + operation + ").");
                        default -> new ConnectionDroppedException(operation);
                    };
                }
            }
        }
        if (!delay.isZero()) {
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdtServiceException(503, AdtErrorCodes.SERVICE_UNAVAILABLE,
                        "Interrupted while injecting latency.");
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Duration between(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return span <= 0 ? min : min.plusMillis((long) (random.nextDouble() * (span + 1)));
    }

    static AdtServiceException throttled(Duration retryAfter) {
        Duration whole = Duration.ofSeconds((Objects.requireNonNull(retryAfter, "retryAfter").toMillis() + 999) / 1000);
        return new AdtServiceException(429, AdtErrorCodes.TOO_MANY_REQUESTS,
                "Too many requests; retry after " + whole.getSeconds() + " s.", List.of(), whole);
    }

    private static double checkRate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        return rate;
    }

    private static void checkRange(Duration min, Duration max) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, was " + min + " and " + max);
        }
    }

    private static Set<AdtOperation> set(AdtOperation... operations) {
        Set<AdtOperation> set = EnumSet.noneOf(AdtOperation.class);
        for (AdtOperation operation : operations) {
            set.add(Objects.requireNonNull(operation, "operation"));
        }
        return set;
    }
}
