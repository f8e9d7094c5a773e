package io.dpstwin.core.lifecycle;

/**
 * Where the processor parks events it gave up on, so that none is silently dropped: a log (the default,
 * {@link LoggingDeadLetterSink}), a queue, a table. An implementation that throws makes the event's outcome
 * {@link LifecycleOutcome#FAILED}, telling the adapter not to checkpoint past it. Must be thread-safe.
 */
@FunctionalInterface
public interface DeadLetterSink {

    /** Parks one event; throw if it could not be parked. */
    void deadLetter(DeadLetter letter);
}
