package io.dpstwin.spring.webhook;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebhookKeysTest {

    private final WebhookKeys keys = WebhookKeys.of(List.of("new-key", "old-key"));

    /** A POST to the allocation path, as {@code with} sets it up. */
    private static MockHttpServletRequest allocation(Consumer<MockHttpServletRequest> with) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/dps/allocate");
        with.accept(request);
        return request;
    }

    @Test
    void acceptsTheKeyAsTheCodeQueryParameterOrTheFunctionsKeyHeader() {
        assertThat(keys.accepts(allocation(request -> request.setQueryString("code=new-key")))).isTrue();
        assertThat(keys.accepts(allocation(request -> request.addHeader("x-functions-key", "old-key")))).isTrue();
    }

    @Test
    void acceptsEveryKeyOfTheRotation() {
        assertThat(keys.accepts(List.of("new-key"))).isTrue();
        assertThat(keys.accepts(List.of("old-key"))).isTrue();
    }

    @Test
    void refusesAMissingWrongOrPrefixKey() {
        assertThat(keys.accepts(List.of())).isFalse();
        assertThat(keys.accepts(List.of("wrong"))).isFalse();
        assertThat(keys.accepts(List.of("new-ke"))).isFalse();
        assertThat(keys.accepts(List.of("new-key "))).isFalse();
        assertThat(keys.accepts(List.of(""))).isFalse();
    }

    @Test
    void decodesAPercentEncodedKey() {
        WebhookKeys special = WebhookKeys.of(List.of("a+b/c=="));
        assertThat(special.accepts(allocation(request -> request.setQueryString("x=1&code=a%2Bb%2Fc%3D%3D&y=2"))))
                .isTrue();
    }

    @Test
    void ignoresCodeInAFormBody() {
        MockHttpServletRequest request = allocation(form -> form.setContentType("application/x-www-form-urlencoded"));
        request.addParameter("code", "new-key");
        assertThat(keys.accepts(request)).as("only the query string and the header count").isFalse();
    }

    @Test
    void notRequiredAcceptsEveryone() {
        assertThat(WebhookKeys.notRequired().accepts(List.of())).isTrue();
        assertThat(WebhookKeys.notRequired().required()).isFalse();
    }

    @Test
    void refusesAnEmptyListOrABlankKeyWithoutQuotingAnyKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> WebhookKeys.of(List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> WebhookKeys.of(List.of("secret-one", "  ")))
                .withMessage("key #2 is blank");
    }

    @Test
    void neverShowsAKeyInToString() {
        assertThat(keys.toString()).isEqualTo("WebhookKeys[2 key(s)]").doesNotContain("new-key");
    }
}
