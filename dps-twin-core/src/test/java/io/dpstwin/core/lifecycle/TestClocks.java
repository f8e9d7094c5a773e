package io.dpstwin.core.lifecycle;

import io.dpstwin.core.support.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Test time: a clock moved by hand and a sleeper that records waits (and moves a clock) instead of waiting. */
final class TestClocks {

    private TestClocks() {
    }

    static final class MutableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-11-26T10:00:00Z").toEpochMilli());

        void advance(Duration duration) {
            millis.addAndGet(duration.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    /** Records every wait; moves {@code clock} by it when one is given. */
    static final class RecordingSleeper implements Sleeper {
        private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
        private final MutableClock clock;

        RecordingSleeper() {
            this(null);
        }

        RecordingSleeper(MutableClock clock) {
            this.clock = clock;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            if (clock != null) {
                clock.advance(duration);
            }
        }

        List<Duration> sleeps() {
            synchronized (sleeps) {
                return List.copyOf(sleeps);
            }
        }

        Duration total() {
            return sleeps().stream().reduce(Duration.ZERO, Duration::plus);
        }
    }

    /** A dead-letter sink that keeps what it is given. */
    static final class RecordingSink implements DeadLetterSink {
        private final List<DeadLetter> letters = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void deadLetter(DeadLetter letter) {
            letters.add(letter);
        }

        List<DeadLetter> letters() {
            synchronized (letters) {
                return List.copyOf(letters);
            }
        }
    }
}
