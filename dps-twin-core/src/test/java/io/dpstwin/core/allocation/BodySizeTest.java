package io.dpstwin.core.allocation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.WebhookResponse;
import io.dpstwin.core.twins.HandFakeGateway;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.dpstwin.core.allocation.Requests.THERMOSTAT;
import static io.dpstwin.core.allocation.Requests.errorCode;
import static io.dpstwin.core.allocation.Requests.errorMessage;
import static io.dpstwin.core.allocation.Requests.group;
import static io.dpstwin.core.allocation.Requests.payload;
import static io.dpstwin.core.allocation.Requests.text;
import static org.assertj.core.api.Assertions.assertThat;

class BodySizeTest {

    private static final int LIMIT = 96 * 1024;

    private final HandFakeGateway adt = new HandFakeGateway();
    private final DpsAllocationHandler handler = new DpsAllocationHandler(adt, AllocationOptions.defaults());

    /** A valid request padded (in its payload) to exactly {@code size} bytes of UTF-8. */
    private static byte[] validRequestOfSize(int size) {
        ObjectNode request = group("dev-1", THERMOSTAT);
        payload(request).put("padding", "");
        int base = text(request).getBytes(StandardCharsets.UTF_8).length;
        payload(request).put("padding", "x".repeat(size - base));
        byte[] bytes = text(request).getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    @Test
    void answers413ForABodyOneByteOverTheLimit() {
        WebhookResponse response = handler.handle(validRequestOfSize(LIMIT + 1));

        assertThat(response.status()).isEqualTo(413);
        assertThat(errorCode(response)).isEqualTo(AllocationErrorCodes.BODY_TOO_LARGE);
        assertThat(errorMessage(response)).isEqualTo("request body has 98305 bytes; at most 98304 bytes are accepted"
                + " (the DPS message size limit is 96 KB)");
        assertThat(adt.calls("getTwin")).isZero();
        assertThat(adt.twinCount()).isZero();
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() {
        assertThat(handler.handle(validRequestOfSize(LIMIT)).status()).isEqualTo(200);
    }

    @Test
    void acceptsABodyJustUnderTheLimit() {
        assertThat(handler.handle(validRequestOfSize(LIMIT - 1)).status()).isEqualTo(200);
        assertThat(adt.twinCount()).isEqualTo(1);
    }

    @Test
    void checksTheSizeBeforeParsing() {
        byte[] garbage = new byte[LIMIT + 1];
        Arrays.fill(garbage, (byte) '{');

        assertThat(handler.handle(garbage).status()).isEqualTo(413);
    }

    @Test
    void countsUtf8BytesOfTextBodies() {
        ObjectNode request = group("dev-1", THERMOSTAT);
        payload(request).put("label", "\u00e9".repeat(LIMIT / 2));
        String text = text(request);
        assertThat(text.length()).isLessThan(LIMIT);

        assertThat(handler.handle(text).status()).isEqualTo(413);
    }

    @Test
    void theLimitIsConfigurable() {
        DpsAllocationHandler small = new DpsAllocationHandler(adt,
                AllocationOptions.builder().maxBodyBytes(1024).build());

        assertThat(small.handle(validRequestOfSize(1025)).status()).isEqualTo(413);
        assertThat(small.handle(validRequestOfSize(1024)).status()).isEqualTo(200);
    }
}
