package io.dpstwin.functions;

import io.dpstwin.core.DpsTwin;

import java.util.HashMap;
import java.util.Map;

/**
 * App settings and a {@link DpsTwin} whose ADT endpoint refuses every connection (a closed loopback port): enough for
 * paths that never reach ADT, and a quick transient failure for those that do.
 */
final class UnreachableAdt {

    static final String URL = "https://127.0.0.1:1";

    private UnreachableAdt() {
    }

    static Map<String, String> settings(String... pairs) {
        Map<String, String> settings = new HashMap<>();
        settings.put(FunctionsSettings.ADT_SERVICE_URL, URL);
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    static FunctionsDpsTwinFactory.Builder factory(String... pairs) {
        return FunctionsDpsTwinFactory.builder().settings(settings(pairs)).credential(TestCredentials.fixed());
    }

    static DpsTwin dpsTwin() {
        return factory().build().create();
    }
}
