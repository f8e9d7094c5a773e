package io.dpstwin.core.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link DeadLetterSink}: one structured SLF4J record per event at WARN on logger
 * {@code io.dpstwin.core.lifecycle.DeadLetters}, with key-value pairs (event ids, twin, reason, attempts, error) and
 * never the message body. Pair it with the {@code dpstwin.lifecycle.dead.letters} counter and an alert; the
 * reconciler repairs what the log records.
 */
public final class LoggingDeadLetterSink implements DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger("io.dpstwin.core.lifecycle.DeadLetters");

    @Override
    public void deadLetter(DeadLetter letter) {
        ParsedEvent event = letter.event();
        LOG.atWarn()
                .addKeyValue("reason", letter.reason().code())
                .addKeyValue("source", event.source())
                .addKeyValue("eventId", event.eventId())
                .addKeyValue("sequenceNumber", event.sequenceNumber())
                .addKeyValue("hubName", event instanceof LifecycleEvent e ? e.hubName() : null)
                .addKeyValue("deviceId", event instanceof LifecycleEvent e ? e.deviceId() : null)
                .addKeyValue("opType", event instanceof LifecycleEvent e ? e.opType() : null)
                .addKeyValue("twinId", letter.twinId())
                .addKeyValue("attempts", letter.attempts())
                .addKeyValue("errorType", letter.errorType())
                .addKeyValue("statusCode", letter.statusCode())
                .addKeyValue("errorCode", letter.errorCode())
                .log("Lifecycle event dead-lettered ({}): {} twin={} after {} attempt(s): {}",
                        letter.reason().code(), event.describe(), letter.twinId(), letter.attempts(),
                        letter.errorMessage());
    }
}
