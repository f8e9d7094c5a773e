package io.dpstwin.testkit.emulator;

import com.azure.digitaltwins.core.implementation.models.ErrorResponseException;
import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assertion on an ADT error the official SDK surfaces: status, {@code error.code} and part of the message. */
final class AdtErrors {

    private AdtErrors() {
    }

    static void assertAdtError(ThrowableAssert.ThrowingCallable call, int status, String code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(status);
            assertThat(e.getValue().getError().getCode()).isEqualTo(code);
            assertThat(e.getValue().getError().getMessage()).contains(message);
        });
    }
}
