package io.dpstwin.core.twins;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AdtExceptionTest {

    @ParameterizedTest
    @ValueSource(strings = {"ModelAlreadyExists", "ModelIdAlreadyExists"})
    void anExistingModelIsRecognisedUnderBothSpellingsOfItsCode(String code) {
        assertThat(new AdtException(409, code, "exists").isModelAlreadyExists()).isTrue();
    }

    @Test
    void otherConflictsAndOtherStatusesAreNotAnExistingModel() {
        assertThat(new AdtException(409, AdtErrorCodes.MODEL_REFERENCES_NOT_DELETED, "in use").isModelAlreadyExists())
                .isFalse();
        assertThat(new AdtException(400, AdtErrorCodes.MODEL_ALREADY_EXISTS, "odd").isModelAlreadyExists()).isFalse();
        assertThat(new AdtException(409, null, "no code").isModelAlreadyExists()).isFalse();
    }
}
