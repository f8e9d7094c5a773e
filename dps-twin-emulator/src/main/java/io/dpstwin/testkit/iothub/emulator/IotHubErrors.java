package io.dpstwin.testkit.iothub.emulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.internal.Wire;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * IoT Hub's error answer: {@code {"Message":"ErrorCode:<Name>;<text>","ExceptionMessage":"Tracking ID:…"}} with the
 * {@code iothub-errorcode} header, the form the SDKs parse (Node reads the code from {@code Message}; Java builds its
 * exception message from both fields). Codes: <a href="https://learn.microsoft.com/rest/api/iothub/common-error-codes">IoT
 * Hub common error codes</a>.
 */
record IotHubErrors(int status, String code, String message) {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss").withZone(ZoneOffset.UTC);

    static IotHubErrors unauthorized(String message) {
        return new IotHubErrors(401, "IotHubUnauthorizedAccess", message);
    }

    static IotHubErrors argumentInvalid(String message) {
        return new IotHubErrors(400, "ArgumentInvalid", message);
    }

    String body(Instant now) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Message", "ErrorCode:" + code + ";" + message);
        body.put("ExceptionMessage", "Tracking ID:" + UUID.randomUUID().toString().replace("-", "")
                + "-G:0-TimeStamp:" + TIMESTAMP.format(now));
        return Wire.write(body);
    }
}
