package io.dpstwin.core.lifecycle;

import io.dpstwin.core.internal.support.Identifiers;
import java.util.Objects;

/**
 * A message that could not be read as a lifecycle event. It carries whatever ids could be read, for correlation,
 * and a reason written for operators; never the message body.
 *
 * @param source         the envelope the message arrived in
 * @param index          the message's position in the batch it was parsed from (0-based)
 * @param eventId        the message id when it could be read, else {@code null}
 * @param sequenceNumber the Event Hubs sequence number when it could be read, else {@code null}
 * @param deviceId       the device id when it could be read, else {@code null}
 * @param reason         why the message could not be parsed, e.g. {@code "body is not valid JSON (line 1, column 7)"}
 */
public record UnparseableEvent(EventSourceKind source, int index, String eventId, Long sequenceNumber,
                               String deviceId, String reason) implements ParsedEvent {

    public UnparseableEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
        return "source=" + source + " index=" + index
                + (eventId == null ? "" : " eventId=" + Identifiers.shown(eventId))
                + (sequenceNumber == null ? "" : " seq=" + sequenceNumber)
                + (deviceId == null ? "" : " device=" + Identifiers.shown(deviceId));
    }
}
