package io.dpstwin.core.internal.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Adaptive {@link SlidingWindowLimiter}s against a simulated service that counts in fixed one-second windows and
 * answers 429 with a whole-second {@code Retry-After} over its limit, on a simulated clock (1 ms steps, answers after
 * a 20 ms round trip, callers with 16 workers that always have work, who sends first in a millisecond drawn from a
 * seeded random): nothing sleeps, and every figure is deterministic.
 */
class AdaptiveLimiterTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final Duration WINDOW = Duration.ofMillis(1020);
    private static final long ROUND_TRIP = 20 * MS;
    private static final int CONCURRENCY = 16;

    /**
     * The simulated world: a service with a per-second limit, callers each with an adaptive limiter and
     * {@link #CONCURRENCY} workers (like a lifecycle pool) that always have work: a worker takes a permit (waiting for
     * it when the limiter says so), sends, and is free again when the answer is back a round trip later.
     */
    private static final class World {
        private long now = 1_000 * SECOND;
        private int serviceLimit;
        private long serviceWindow = -1;
        private int usedInWindow;
        private final List<SlidingWindowLimiter> clients = new ArrayList<>();
        /** Per client, the moment each worker is free again. */
        private final List<long[]> workers = new ArrayList<>();
        /** Requests to send later (time, client, admitted-at), in time order. */
        private final PriorityQueue<long[]> scheduled = new PriorityQueue<>(Comparator.comparingLong(e -> e[0]));
        private final ArrayDeque<long[]> answers = new ArrayDeque<>();
        private final List<Integer> order = new ArrayList<>();
        private final Random random = new Random(18);
        private long accepted;
        private long throttled;
        private final long[] acceptedBy;

        World(int serviceLimit, int clients, int ceiling) {
            this(serviceLimit, clients, ceiling, () -> 1);
        }

        /** Processes that know how many share the limit ({@code sharers}), as with an instance registry. */
        World(int serviceLimit, int clients, int ceiling, SlidingWindowLimiter.Sharing sharers) {
            this.serviceLimit = serviceLimit;
            this.acceptedBy = new long[clients];
            for (int i = 0; i < clients; i++) {
                this.clients.add(SlidingWindowLimiter.adaptive(ceiling, WINDOW, Duration.ofSeconds(2), () -> now,
                        sharers));
                this.workers.add(new long[CONCURRENCY]);
                this.order.add(i);
            }
        }

        /** Runs for {@code seconds}, calling {@code eachSecond} with the state at the end of every second. */
        void run(int seconds, Runnable eachSecond) {
            long end = now + seconds * SECOND;
            long nextReport = now + SECOND;
            while (now < end) {
                while (!answers.isEmpty() && answers.peekFirst()[0] <= now) {
                    long[] answer = answers.pollFirst();
                    if (answer[3] > 0) {
                        clients.get((int) answer[1]).onThrottled(answer[2]);
                    } else {
                        clients.get((int) answer[1]).onAnswered(answer[2]);
                    }
                }
                while (!scheduled.isEmpty() && scheduled.peek()[0] <= now) {
                    long[] due = scheduled.poll();
                    send((int) due[1], due[2]);
                }
                Collections.shuffle(order, random);  // who sends first in a millisecond is a matter of chance
                for (int c : order) {
                    long[] free = workers.get(c);
                    for (int w = 0; w < free.length; w++) {
                        if (free[w] > now) {
                            continue;
                        }
                        long wait = clients.get(c).reserve();
                        if (wait < 0) {
                            free[w] = now + MS;  // refused: the worker tries again
                        } else if (wait == 0) {
                            send(c, now);
                            free[w] = now + ROUND_TRIP;
                        } else {
                            scheduled.add(new long[] {now + wait, c, now + wait});
                            free[w] = now + wait + ROUND_TRIP;
                        }
                    }
                }
                now += MS;
                if (now >= nextReport) {
                    eachSecond.run();
                    nextReport += SECOND;
                }
            }
        }

        private void send(int c, long admittedAt) {
            long window = now / SECOND;
            if (window != serviceWindow) {
                serviceWindow = window;
                usedInWindow = 0;
            }
            if (usedInWindow < serviceLimit) {
                usedInWindow++;
                accepted++;
                acceptedBy[c]++;
                answers.addLast(new long[] {now + ROUND_TRIP, c, admittedAt, 0});
            } else {
                throttled++;
                long retryAfter = ((window + 1) * SECOND - now + SECOND - 1) / SECOND * SECOND;
                answers.addLast(new long[] {now + ROUND_TRIP, c, admittedAt, retryAfter});
            }
        }

        double allowedInAll() {
            return clients.stream().mapToDouble(SlidingWindowLimiter::allowed).sum();
        }
    }

    @Test
    void convergesAfterA429BurstAndStaysInTheStatedBand() {
        // one process whose ceiling is five times what the service admits
        World world = new World(100, 1, 500);
        long[] before = new long[2];
        world.run(10, () -> { });
        before[0] = world.accepted;
        before[1] = world.throttled;
        assertThat(world.throttled).as("the burst that teaches the limiter").isPositive();

        List<Double> allowed = new ArrayList<>();
        world.run(120, () -> allowed.add(world.allowedInAll()));

        // the stated band once converged: [DECREASE * S, 1.1 * S], fewer than 1 % answered 429, at least 0.9 S
        // (measured: 0.94 S to 1.08 S, 0.3 % answered 429, 0.93 S admitted)
        assertThat(allowed).allSatisfy(a -> assertThat(a).isBetween(SlidingWindowLimiter.DECREASE * 100, 1.1 * 100));
        long accepted = world.accepted - before[0];
        long throttled = world.throttled - before[1];
        assertThat(accepted / 120.0).as("admitted per second").isGreaterThanOrEqualTo(90);
        assertThat((double) throttled / (accepted + throttled)).as("share answered 429").isLessThan(0.01);
    }

    @Test
    void probesBackUpToTheCeilingWhenTheThrottlingStops() {
        World world = new World(100, 1, 400);
        world.run(30, () -> { });
        assertThat(world.allowedInAll()).isLessThan(110);

        world.serviceLimit = 1_000;  // the other users of the instance went away
        long acceptedBefore = world.accepted;
        world.run(30, () -> { });  // CUBIC: flat near the rate of the last cut, then ever faster

        assertThat(world.allowedInAll()).isEqualTo(400.0);
        world.run(10, () -> { });
        assertThat(world.accepted - acceptedBefore).as("admitted in the last 40 s").isGreaterThan(20L * 300);
    }

    @Test
    void severalProcessesFindTheirSharesWithoutDividingTheLimitByHand() {
        // 8 processes, each allowed the whole limit and always with work, sharing one service: their allowances
        // together stay in [DECREASE * S, 1.35 S], fewer than 2 % answered 429, at least 0.9 S admitted, and each
        // process is admitted within 25 % of an equal share (measured: 0.84 S to 1.28 S, 1.6 % answered 429, 0.95 S
        // admitted, each 22.2-28.3 per second of 25)
        World world = new World(200, 8, 200);
        world.run(20, () -> { });
        long acceptedBefore = world.accepted;
        long throttledBefore = world.throttled;
        long[] acceptedByBefore = world.acceptedBy.clone();
        List<Double> allowed = new ArrayList<>();

        world.run(120, () -> allowed.add(world.allowedInAll()));

        long accepted = world.accepted - acceptedBefore;
        long throttled = world.throttled - throttledBefore;
        assertThat(accepted / 120.0).as("admitted per second, of 200").isGreaterThanOrEqualTo(0.9 * 200);
        assertThat((double) throttled / (accepted + throttled)).as("share answered 429").isLessThan(0.02);
        assertThat(allowed).allSatisfy(a -> assertThat(a).isBetween(SlidingWindowLimiter.DECREASE * 200, 1.35 * 200));
        for (int c = 0; c < 8; c++) {
            assertThat((world.acceptedBy[c] - acceptedByBefore[c]) / 120.0).as("process %d admitted per second", c)
                    .isBetween(0.75 * 200 / 8, 1.25 * 200 / 8);
        }
    }

    @Test
    void growsFastOnceTheOtherProcessesLeaveTheLimitFree() {
        // four processes share one limit until three of them finish their work; the last one then has the limit to
        // itself, and no 429 tells it so (measured: allowance 24 before, 100 after 10 s; 477 admitted in them, where
        // the earlier probe relative to the last accepted rate reached 42 after 10 s)
        World world = new World(100, 4, 100);
        world.run(30, () -> { });
        SlidingWindowLimiter last = world.clients.get(0);
        assertThat(last.allowed()).as("a share of the limit").isLessThan(40);
        for (int c = 1; c < 4; c++) {
            Arrays.fill(world.workers.get(c), Long.MAX_VALUE);  // done: these workers never send again
        }
        long acceptedBefore = world.accepted;

        world.run(10, () -> { });

        assertThat(last.allowed()).as("the whole limit, BOOST x per quiet window").isGreaterThanOrEqualTo(90);
        assertThat(world.accepted - acceptedBefore).as("admitted in those 10 s, of 1,000").isGreaterThan(450L);
    }

    @Test
    void processesThatKnowHowManyTheyAreKeepEqualSharesWithoutA429() {
        // 8 processes, each configured with the whole limit and told by a registry that 8 share it: each keeps 25 of
        // 200 from the start, nobody is throttled, and the limit is used (measured: 196.4 per second, 24.55 each)
        World world = new World(200, 8, 200, () -> 8);

        world.run(60, () -> assertThat(world.allowedInAll()).isEqualTo(200.0));

        assertThat(world.throttled).isZero();
        assertThat(world.accepted / 60.0).as("admitted per second, of 200").isGreaterThanOrEqualTo(0.95 * 200);
        for (int c = 0; c < 8; c++) {
            assertThat(world.acceptedBy[c] / 60.0).as("process %d admitted per second", c)
                    .isBetween(0.95 * 25, 25.0);
        }
    }

    @Test
    void anAdaptiveLimiterThatSharesItsCeilingGrowsBackToItsShareNotBeyond() {
        // two instances share a ceiling of 400, but the service admits 100: the limiter cuts below its share of 200;
        // once the service admits more, it grows back to 200 and stays there
        World world = new World(100, 1, 400, () -> 2);
        world.run(30, () -> { });
        assertThat(world.throttled).isPositive();
        assertThat(world.allowedInAll()).isLessThan(110);

        world.serviceLimit = 1_000;
        world.run(60, () -> assertThat(world.allowedInAll()).isLessThanOrEqualTo(200.0));

        assertThat(world.allowedInAll()).isEqualTo(200.0);
    }

    @Test
    void whenInstancesLeaveTheOthersTakeTheirSharesWithinAWindow() {
        // four instances of 25 each; three scale in and the registry says so: the last one allows the whole limit
        // at once (it was never throttled) and uses it (measured: 968 of 1,000 in the next 10 s)
        AtomicInteger instances = new AtomicInteger(4);
        World world = new World(100, 4, 100, instances::get);
        world.run(10, () -> { });
        SlidingWindowLimiter last = world.clients.get(0);
        assertThat(last.allowed()).isEqualTo(25.0);
        for (int c = 1; c < 4; c++) {
            Arrays.fill(world.workers.get(c), Long.MAX_VALUE);  // scaled in: these never send again
        }
        instances.set(1);
        long acceptedBefore = world.accepted;

        world.run(10, () -> { });

        assertThat(last.allowed()).isEqualTo(100.0);
        assertThat(last.sharedBy()).isEqualTo(1);
        assertThat(world.accepted - acceptedBefore).as("admitted in those 10 s, of 1,000").isGreaterThan(900L);
        assertThat(world.throttled).isZero();
    }

    @Test
    void aStrictLimiterKeepsItsShareOfTheLimitAndReadsTheCountOncePerWindow() {
        long[] now = {0};
        AtomicInteger instances = new AtomicInteger(4);
        AtomicInteger reads = new AtomicInteger();
        SlidingWindowLimiter strict = SlidingWindowLimiter.strict(100, WINDOW, Duration.ofSeconds(2), () -> now[0],
                () -> {
                    reads.incrementAndGet();
                    return instances.get();
                });

        assertThat(admittedInAWindow(strict, now)).isEqualTo(25);
        assertThat(reads.get()).as("once in a window, not once per permit").isBetween(1, 2);
        instances.set(2);
        now[0] += WINDOW.toNanos();
        assertThat(admittedInAWindow(strict, now)).isEqualTo(50);
        assertThat(strict.sharedBy()).isEqualTo(2);
        assertThat(strict.ceiling()).isEqualTo(100);
    }

    @Test
    void aLimitThatDoesNotDivideEvenlyIsSplitByPlaceSoThatTheSharesAddUpToIt() {
        // 100 per second between 8: places 0-3 keep 13, places 4-7 keep 12 (52 + 48 = 100); without a place, 12
        List<Integer> admitted = new ArrayList<>();
        for (int place = -1; place < 8; place++) {
            long[] now = {0};
            int p = place;
            SlidingWindowLimiter limiter = SlidingWindowLimiter.strict(100, WINDOW, Duration.ofSeconds(2),
                    () -> now[0], new SlidingWindowLimiter.Sharing() {
                        @Override
                        public int count() {
                            return 8;
                        }

                        @Override
                        public int position() {
                            return p;
                        }
                    });
            admitted.add(admittedInAWindow(limiter, now));
        }
        assertThat(admitted).containsExactly(12, 13, 13, 13, 13, 12, 12, 12, 12);
        assertThat(admitted.subList(1, 9).stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    }

    @Test
    void aCountBelowOneOrAboveTheMostSharersOrAFailingRegistryIsReadSafely() {
        long[] now = {0};
        AtomicInteger instances = new AtomicInteger(0);
        AtomicBoolean failing = new AtomicBoolean();
        SlidingWindowLimiter.Sharing registry = () -> {
            if (failing.get()) {
                throw new IllegalStateException("registry down");
            }
            return instances.get();
        };
        SlidingWindowLimiter strict = SlidingWindowLimiter.strict(640, WINDOW, Duration.ofSeconds(2), () -> now[0],
                registry);

        assertThat(strict.allowed()).as("0 instances read as 1").isEqualTo(640.0);
        instances.set(5);
        now[0] += WINDOW.toNanos();
        assertThat(strict.allowed()).isEqualTo(128.0);
        failing.set(true);
        now[0] += WINDOW.toNanos();
        assertThat(strict.allowed()).as("a failing registry keeps the last count").isEqualTo(128.0);
        failing.set(false);
        instances.set(1_000);
        now[0] += WINDOW.toNanos();
        assertThat(strict.allowed()).as("at most MAX_SHARERS").isEqualTo(640.0 / SlidingWindowLimiter.MAX_SHARERS);
    }

    @Test
    void aStrictLimiterIgnoresThrottles() {
        long[] now = {0};
        SlidingWindowLimiter strict = SlidingWindowLimiter.strict(10, WINDOW, Duration.ZERO, () -> now[0]);

        strict.onThrottled(0);

        assertThat(strict.allowed()).isEqualTo(10.0);
        assertThat(strict.reserve()).isZero();
    }

    /** Admissions in one window of a caller that always has work and waits for each permit it reserved. */
    private static int admittedInAWindow(SlidingWindowLimiter limiter, long[] now) {
        int admitted = 0;
        long end = now[0] + WINDOW.toNanos();
        while (true) {
            long wait = limiter.reserve();
            assertThat(wait).as("never refused while the next permit is within the maximum wait").isNotNegative();
            if (now[0] + wait >= end) {
                now[0] = end;
                return admitted;
            }
            now[0] += wait;
            admitted++;
        }
    }

    @Test
    void startsAtTheCeilingPacedAndLimitsNothingBelowItUntilTheFirstThrottle() {
        long[] now = {0};
        SlidingWindowLimiter limiter = SlidingWindowLimiter.adaptive(160, WINDOW, Duration.ofSeconds(2),
                () -> now[0]);
        List<Integer> perWindow = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            perWindow.add(admittedInAWindow(limiter, now));
            if (w == 0) {
                now[0] += 5 * WINDOW.toNanos();  // idle for five windows after the first: no restart
            }
        }
        // the ceiling in every window, one admission every WINDOW / 160 (6.4 ms), not in a burst
        assertThat(perWindow).allSatisfy(n -> assertThat(n).isBetween(159, 160));
        now[0] += 5 * WINDOW.toNanos();
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waits.add(limiter.reserve());
        }
        // after an idle spell, at most PACED_BURST at once, then one every WINDOW / 160
        assertThat(waits).containsExactly(0L, 0L, 0L, WINDOW.toNanos() / 160);
    }

    @Test
    void oneCongestionEventCutsOnceToTheRateTheServiceAccepted() {
        long[] now = {0};
        SlidingWindowLimiter limiter = SlidingWindowLimiter.adaptive(100, WINDOW, Duration.ofSeconds(2),
                () -> now[0]);
        List<Long> admittedAt = new ArrayList<>();
        for (int i = 0; i < 50; i++) {  // 50 in a window, every 20 ms (below the ceiling: no wait)
            assertThat(limiter.reserve()).isZero();
            admittedAt.add(limiter.now());
            now[0] += 20 * MS;
        }
        // the service accepted the first 40 and throttled the last 10; the answers come back in order
        for (int i = 0; i < 40; i++) {
            limiter.onAnswered(admittedAt.get(i));
        }
        for (int i = 40; i < 50; i++) {
            limiter.onThrottled(admittedAt.get(i));
            if (i == 40) {
                assertThat(limiter.allowed()).as("cut at the first 429").isLessThan(100);
            }
        }
        double afterCut = limiter.allowed();
        // DECREASE x what the service accepted: its 40 answers other than 429, in the 1,000 ms the process has been
        // busy, scaled to the window
        assertThat(afterCut).isCloseTo(0.8 * 40 * 1020 / 1000.0, within(1e-6));
        assertThat(limiter.throttles()).isEqualTo(10);

        // a 429 to a request admitted less than a window after the cut is the same congestion: no second cut
        assertThat(limiter.reserve()).isGreaterThanOrEqualTo(0);
        long soonAfter = limiter.now();
        now[0] += 10 * MS;
        limiter.onThrottled(soonAfter);
        assertThat(limiter.allowed()).isGreaterThanOrEqualTo(afterCut);

        // a window later, with enough answers since the cut to tell a share, a 429 cuts again; so soon after the
        // first cut, to FOLLOW_UP_DECREASE x the accepted rate: that rate is already this process's share
        now[0] += WINDOW.toNanos();
        for (int i = 0; i < 30; i++) {  // one every 30 ms, slower than the allowance: no wait
            assertThat(limiter.reserve()).isZero();
            limiter.onAnswered(limiter.now());
            now[0] += 30 * MS;
        }
        assertThat(limiter.reserve()).isZero();
        limiter.onThrottled(limiter.now());
        double followUp = limiter.allowed();
        // 31 admitted in the last window, 1 of at most 31 answers throttled
        // (measured: 27.7, against 0.8 x 30 = 24 for a first cut)
        assertThat(followUp).isLessThan(afterCut)
                .isGreaterThan(SlidingWindowLimiter.DECREASE * 31)
                .isLessThanOrEqualTo(SlidingWindowLimiter.FOLLOW_UP_DECREASE * 30);
    }

    @Test
    void aServiceThatThrottlesAtRandomDoesNotPushTheAllowanceDown() {
        // a service that answers every fifth request 429 whatever the rate (another user of the instance, a fault)
        long[] now = {0};
        SlidingWindowLimiter limiter = SlidingWindowLimiter.adaptive(640, WINDOW, Duration.ZERO, () -> now[0]);
        long sent = 0;
        double lowest = Double.MAX_VALUE;
        for (int ms = 0; ms < 60_000; ms++) {
            now[0] = ms * MS;
            while (limiter.reserve() == 0) {
                if (++sent % 5 == 0) {
                    limiter.onThrottled(limiter.now());
                } else {
                    limiter.onAnswered(limiter.now());
                }
            }
            if (ms > 10_000) {
                lowest = Math.min(lowest, limiter.allowed());
            }
        }
        assertThat(lowest).as("once per regrowth, 0.7 x what the last window admitted").isGreaterThanOrEqualTo(300.0);
        assertThat(sent / 60.0).as("sent per second").isGreaterThanOrEqualTo(450);
    }
}
