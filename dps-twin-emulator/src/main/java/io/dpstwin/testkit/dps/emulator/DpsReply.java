package io.dpstwin.testkit.dps.emulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * One answer of the DPS device API, the same over MQTT (topic {@code $dps/registrations/res/{status}/?$rid=...})
 * and HTTPS (status line, {@code Retry-After} header). Always a JSON body: the Node SDK parses every reply.
 *
 * @param status            the HTTP-style status (200, 202, 400, 401, 404, ...)
 * @param body              the JSON body
 * @param retryAfterSeconds the {@code retry-after} to send, or 0 for none
 */
record DpsReply(int status, ObjectNode body, int retryAfterSeconds) {

    /**
     * An error in DPS's error shape: {@code errorCode} (the HTTP status followed by three digits, e.g. 401002),
     * {@code trackingId}, {@code message}, {@code timestampUtc}
     * (https://learn.microsoft.com/azure/iot-dps/how-to-troubleshoot-dps).
     */
    static DpsReply error(int status, int errorCode, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("errorCode", errorCode);
        body.put("trackingId", UUID.randomUUID().toString());
        body.put("message", message);
        body.put("timestampUtc", Instant.now().toString());
        return new DpsReply(status, body, 0);
    }

    static DpsReply unauthorized() {
        return error(401, 401002, "Unauthorized");
    }

    static DpsReply badRequest(String message) {
        return error(400, 400004, message);
    }
}
