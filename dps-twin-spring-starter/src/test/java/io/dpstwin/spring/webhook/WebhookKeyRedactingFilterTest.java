package io.dpstwin.spring.webhook;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookKeyRedactingFilterTest {

    @Test
    void theRestOfTheChainSeesMaskedKeysWhileTheWebhookSeesTheRealOnes() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/dps/allocate");
        request.setQueryString("code=s3cr3t&trace=1");
        request.addParameter("code", "s3cr3t");
        request.addParameter("trace", "1");
        request.addHeader("x-functions-key", "h3ad3r");

        HttpServletRequest seen = passedOn(request);
        assertThat(seen.getQueryString()).isEqualTo("code=***&trace=1");
        assertThat(seen.getParameter("code")).isEqualTo("***");
        assertThat(seen.getParameterValues("code")).containsExactly("***");
        assertThat(seen.getParameterMap().get("code")).containsExactly("***");
        assertThat(seen.getParameter("trace")).isEqualTo("1");
        assertThat(seen.getHeader("x-functions-key")).isEqualTo("***");
        assertThat(Collections.list(seen.getHeaders("X-Functions-Key"))).containsExactly("***");
        assertThat(WebhookKeys.presentedKeys(seen)).containsExactlyInAnyOrder("s3cr3t", "h3ad3r");
    }

    @Test
    void masksTheParameterWhateverTheCaseOfItsName() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/dps/allocate");
        request.setQueryString("CODE=s3cr3t");
        request.addParameter("CODE", "s3cr3t");

        HttpServletRequest seen = passedOn(request);
        assertThat(seen.getQueryString()).isEqualTo("CODE=***");
        assertThat(seen.getParameter("CODE")).isEqualTo("***");
        assertThat(seen.getParameterMap().get("CODE")).containsExactly("***");
        assertThat(WebhookKeys.presentedKeys(seen)).containsExactly("s3cr3t");
    }

    @Test
    void masksCodeInAnyCaseOrEncodingAndKeepsTheRestOfTheQuery() {
        assertThat(WebhookKeyRedactingFilter.redactQuery("a=1&CODE=x&%63ode=y&codes=z&b"))
                .isEqualTo("a=1&CODE=***&%63ode=***&codes=z&b");
        assertThat(WebhookKeyRedactingFilter.redactQuery("&code=x&&")).isEqualTo("&code=***&&");
        assertThat(WebhookKeyRedactingFilter.redactQuery(null)).isNull();
    }

    @Test
    void aRequestWithoutKeysPassesUnchanged() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/dps/allocate");
        request.setQueryString("trace=1");

        HttpServletRequest seen = passedOn(request);
        assertThat(seen.getQueryString()).isEqualTo("trace=1");
        assertThat(seen.getHeader("x-functions-key")).isNull();
        assertThat(WebhookKeys.presentedKeys(seen)).isEqualTo(List.of());
    }

    /** The request the filter hands to the rest of the chain. */
    private static HttpServletRequest passedOn(MockHttpServletRequest request) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        new WebhookKeyRedactingFilter().doFilter(request, new MockHttpServletResponse(), chain);
        return (HttpServletRequest) chain.getRequest();
    }
}
