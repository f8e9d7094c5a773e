package io.dpstwin.core.lifecycle;

import io.dpstwin.core.ManualClock;
import io.dpstwin.core.support.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test time: a sleeper that records waits (and moves a {@link ManualClock}) instead of waiting. */
final class TestClocks {

    private TestClocks() {
    }

    /** Records every wait; moves {@code clock} by it when one is given. */
    static final class RecordingSleeper implements Sleeper {
        private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
        private final ManualClock clock;

        RecordingSleeper() {
            this(null);
        }

        RecordingSleeper(ManualClock clock) {
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
