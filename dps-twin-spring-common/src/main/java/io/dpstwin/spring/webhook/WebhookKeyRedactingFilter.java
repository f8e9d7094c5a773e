package io.dpstwin.spring.webhook;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the webhook key out of every log that sees the request after it: it takes the presented keys aside (for the
 * webhook's own check) and hands the rest of the chain a request whose query string reads {@code code=***} and
 * whose {@code x-functions-key} header reads {@code ***}. Spring MVC's request logging
 * ({@code DispatcherServlet} at DEBUG, {@code spring.mvc.log-request-details}), request logging filters and the
 * HTTP exchanges actuator therefore never see a key. Register it before any logging filter (the auto-configuration
 * gives it {@code Ordered.HIGHEST_PRECEDENCE + 1}). The servlet container's own access log reads the raw request:
 * do not log the query string there (see docs/spring-boot.md).
 */
public class WebhookKeyRedactingFilter extends OncePerRequestFilter {

    static final String MASK = "***";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(WebhookKeys.PRESENTED_KEYS_ATTRIBUTE, List.copyOf(WebhookKeys.readPresentedKeys(request)));
        chain.doFilter(new KeyHidingRequest(request), response);
    }

    /**
     * The query string with the value of every parameter named {@code code} (in any case or percent-encoding)
     * masked; other parameters are left exactly as they were.
     */
    static String redactQuery(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        String[] pairs = query.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            String rawName = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
            if (eq >= 0 && WebhookKeys.QUERY_PARAMETER.equalsIgnoreCase(WebhookKeys.decode(rawName))) {
                pairs[i] = rawName + "=" + MASK;
            }
        }
        return String.join("&", pairs);
    }

    /** The request as the rest of the chain sees it: keys masked. */
    static final class KeyHidingRequest extends HttpServletRequestWrapper {

        KeyHidingRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getQueryString() {
            return redactQuery(super.getQueryString());
        }

        @Override
        public String getParameter(String name) {
            String value = super.getParameter(name);
            return value != null && isKeyParameter(name) ? MASK : value;
        }

        @Override
        public String[] getParameterValues(String name) {
            String[] values = super.getParameterValues(name);
            return values == null || !isKeyParameter(name) ? values : masked(values.length);
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            Map<String, String[]> parameters = super.getParameterMap();
            if (parameters.keySet().stream().noneMatch(KeyHidingRequest::isKeyParameter)) {
                return parameters;
            }
            Map<String, String[]> masked = new LinkedHashMap<>();
            parameters.forEach((name, values) -> masked.put(name, isKeyParameter(name) ? masked(values.length) : values));
            return Collections.unmodifiableMap(masked);
        }

        private static boolean isKeyParameter(String name) {
            return WebhookKeys.QUERY_PARAMETER.equalsIgnoreCase(name);
        }

        private static String[] masked(int count) {
            String[] masked = new String[count];
            Arrays.fill(masked, MASK);
            return masked;
        }

        @Override
        public String getHeader(String name) {
            String value = super.getHeader(name);
            return value != null && WebhookKeys.HEADER.equalsIgnoreCase(name) ? MASK : value;
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (WebhookKeys.HEADER.equalsIgnoreCase(name)) {
                Enumeration<String> values = super.getHeaders(name);
                if (values == null || !values.hasMoreElements()) {
                    return values;
                }
                return Collections.enumeration(List.of(MASK));
            }
            return super.getHeaders(name);
        }
    }
}
