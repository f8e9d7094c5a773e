package io.dpstwin.testkit.azurite;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The extension behind {@link AzuriteTest}: one {@link Azurite} per test class, stopped after it. */
public final class AzuriteExtension implements BeforeAllCallback, ParameterResolver {

    /** The environment variable that turns "Azurite is not installed" from a skip into a failure. */
    public static final String REQUIRED_VARIABLE = "DPSTWIN_AZURITE_REQUIRED";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AzuriteExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        azurite(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Azurite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return azurite(context);
    }

    private static Azurite azurite(ExtensionContext context) {
        // Created in beforeAll on the class's context; a test method's store finds it there (stores look upwards).
        Running running = context.getStore(NAMESPACE).computeIfAbsent(Running.class, key -> {
            if (Azurite.executable().isEmpty()) {
                String message = "Azurite is not installed, so the tests that need Azure Storage are skipped: run "
                        + "'npm install -g azurite@3.37.0' (Node.js 20) to run them";
                if (Boolean.parseBoolean(System.getenv(REQUIRED_VARIABLE))) {
                    throw new IllegalStateException(message + " (" + REQUIRED_VARIABLE + " is true)");
                }
                // Surefire reports a class skipped in beforeAll as zero tests run, without the reason: say it here.
                System.err.println("[dps-twin testkit] " + context.getDisplayName() + ": " + message);
                return new Running(null, message);
            }
            return new Running(Azurite.start(), null);
        }, Running.class);
        Assumptions.assumeTrue(running.azurite() != null, running::skipReason);
        return running.azurite();
    }

    private record Running(Azurite azurite, String skipReason) implements AutoCloseable {
        @Override
        public void close() {
            if (azurite != null) {
                azurite.close();
            }
        }
    }
}
