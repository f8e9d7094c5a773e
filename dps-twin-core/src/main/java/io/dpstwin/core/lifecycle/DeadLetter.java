package io.dpstwin.core.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * An event the processor gave up on, handed to a {@link DeadLetterSink}. It carries the parsed event (ids and the
 * few fields dps-twin reads, never the raw body) and why it failed.
 *
 * @param event        the event as parsed
 * @param index        its position in the batch
 * @param twinId       the twin it concerned
 * @param reason       {@link OutcomeReason#PERMANENT_FAILURE}, {@link OutcomeReason#RETRIES_EXHAUSTED} or
 *                     {@link OutcomeReason#BUDGET_EXHAUSTED}
 * @param attempts     how many attempts were made
 * @param errorType    the simple class name of the last failure
 * @param statusCode   the HTTP status of the last failure when it was an ADT answer, else {@code null}
 * @param errorCode    the ADT {@code error.code} of the last failure when known, else {@code null}
 * @param errorMessage the message of the last failure
 * @param at           when the event was given up
 */
public record DeadLetter(ParsedEvent event, int index, String twinId, OutcomeReason reason, int attempts,
                         String errorType, Integer statusCode, String errorCode, String errorMessage, Instant at) {

    public DeadLetter {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
