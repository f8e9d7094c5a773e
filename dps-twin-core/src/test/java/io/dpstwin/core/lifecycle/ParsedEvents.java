package io.dpstwin.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/** The parser tests' casts: each asserts that a {@link ParsedEvent} is of the kind the test expects. */
final class ParsedEvents {

    private ParsedEvents() {
    }

    static LifecycleEvent lifecycle(ParsedEvent parsed) {
        assertThat(parsed).isInstanceOf(LifecycleEvent.class);
        return (LifecycleEvent) parsed;
    }

    static UnparseableEvent unparseable(ParsedEvent parsed) {
        assertThat(parsed).isInstanceOf(UnparseableEvent.class);
        return (UnparseableEvent) parsed;
    }
}
