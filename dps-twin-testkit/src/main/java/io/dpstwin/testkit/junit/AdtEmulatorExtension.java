package io.dpstwin.testkit.junit;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A JUnit 5 extension running an HTTPS ADT emulator for a test class, in the style of WireMock's: declaratively with
 * {@link AdtEmulatorTest}, or programmatically:
 *
 * <pre>{@code
 * @RegisterExtension
 * static AdtEmulatorExtension adt = AdtEmulatorExtension.newInstance()
 *         .modelResources("models/thermostat.json")
 *         .configure(builder -> builder.limits(AdtLimits.adtDefaults()))
 *         .build();
 *
 * @Test
 * void provisions() {
 *     DigitalTwinsClient client = adt.client();
 *     ...
 *     assertThat(adt.journal().count("PUT", "/digitaltwins/.*")).isEqualTo(1);
 * }
 * }</pre>
 *
 * A static field gives one emulator per class; an instance field one per test. Before each test the emulator is
 * reset: twins, relationships, journal, counters and faults cleared, the configured models (only them, unless
 * {@link Builder#keepModelsBetweenTests}) uploaded, limits and lag restored. Parameters of type
 * {@link AdtEmulator}, {@link DigitalTwinsClient}, {@link RequestJournal} and {@link AdtEngine} are injected.
 */
public class AdtEmulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AdtEmulatorExtension.class);
    private static final String EMULATOR = "emulator";
    private static final String OWNER = "owner:";
    private static final String KEEP_MODELS = "keepModels";
    private static final Set<Class<?>> INJECTABLE = Set.of(AdtEmulator.class, DigitalTwinsClient.class,
            RequestJournal.class, AdtEngine.class);

    private final boolean programmatic;
    private final List<String> models;
    private final List<String> modelResources;
    private final boolean keepModels;
    private final Consumer<AdtEmulator.Builder> customizer;
    private AdtEmulator emulator;
    private boolean perTest;

    /** The declarative extension, configured by {@link AdtEmulatorTest}. */
    public AdtEmulatorExtension() {
        this.programmatic = false;
        this.models = List.of();
        this.modelResources = List.of();
        this.keepModels = false;
        this.customizer = builder -> { };
    }

    private AdtEmulatorExtension(Builder builder) {
        this.programmatic = true;
        this.models = List.copyOf(builder.models);
        this.modelResources = List.copyOf(builder.modelResources);
        this.keepModels = builder.keepModels;
        this.customizer = builder.customizer;
    }

    /** Starts configuring an extension to register with {@code @RegisterExtension}. */
    public static Builder newInstance() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        if (programmatic) {
            emulator = start(context, models, modelResources);
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(EMULATOR) == null) {
            AdtEmulatorTest settings = ClasspathModels.find(context.getRequiredTestClass(), AdtEmulatorTest.class)
                    .orElse(null);
            List<String> resources = settings == null ? List.of() : Arrays.asList(settings.models());
            store.put(EMULATOR, start(context, List.of(), resources));
            store.put(KEEP_MODELS, settings != null && settings.keepModels());
            store.put(OWNER + context.getUniqueId(), Boolean.TRUE);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (programmatic) {
            stopOwn();
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.remove(OWNER + context.getUniqueId()) != null) {
            AdtEmulator started = store.remove(EMULATOR, AdtEmulator.class);
            if (started != null) {
                started.close();
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (programmatic && emulator == null) {
            perTest = true;
            emulator = start(context, models, modelResources);
        }
        AdtEmulator current = emulator(context);
        boolean keep = programmatic ? keepModels
                : Boolean.TRUE.equals(context.getStore(NAMESPACE).get(KEEP_MODELS, Boolean.class));
        if (keep) {
            current.resetKeepingModels();
        } else {
            current.reset();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (programmatic && perTest) {
            stopOwn();
        }
    }

    private void stopOwn() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    private AdtEmulator start(ExtensionContext context, List<String> texts, List<String> resources) {
        List<String> all = new ArrayList<>(texts);
        all.addAll(ClasspathModels.read(context.getTestClass().orElse(null), resources));
        AdtEmulator.Builder builder = AdtEmulator.builder().models(all.toArray(String[]::new));
        customizer.accept(builder);
        return builder.start();
    }

    private AdtEmulator emulator(ExtensionContext context) {
        AdtEmulator current = programmatic ? emulator : context.getStore(NAMESPACE).get(EMULATOR, AdtEmulator.class);
        if (current == null) {
            throw new IllegalStateException("The ADT emulator is not running (register the extension on a static "
                    + "field for class-level use, or use it from a test).");
        }
        return current;
    }

    // ------------------------------------------------------------------------------------------------ parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTABLE.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        AdtEmulator current;
        try {
            current = emulator(context);
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        if (type == DigitalTwinsClient.class) {
            return current.client();
        }
        if (type == RequestJournal.class) {
            return current.journal();
        }
        if (type == AdtEngine.class) {
            return current.engine();
        }
        return current;
    }

    // ------------------------------------------------------------------------------------------------ accessors

    /** The running emulator (programmatic registration). */
    public AdtEmulator emulator() {
        return Objects.requireNonNull(emulator, "the emulator is not running");
    }

    /** The emulator's ready SDK client. */
    public DigitalTwinsClient client() {
        return emulator().client();
    }

    /** The emulator's base URL. */
    public String endpoint() {
        return emulator().endpoint();
    }

    /** The emulator's request journal. */
    public RequestJournal journal() {
        return emulator().journal();
    }

    /** Options of a programmatically registered {@link AdtEmulatorExtension}. */
    public static final class Builder {

        private final List<String> models = new ArrayList<>();
        private final List<String> modelResources = new ArrayList<>();
        private boolean keepModels;
        private Consumer<AdtEmulator.Builder> customizer = builder -> { };

        private Builder() {
        }

        /** DTDL texts (one interface or an array each) to upload at start and after each reset. */
        public Builder models(String... dtdl) {
            models.addAll(Arrays.asList(dtdl));
            return this;
        }

        /** Classpath resources holding DTDL, uploaded at start and after each reset. */
        public Builder modelResources(String... resources) {
            modelResources.addAll(Arrays.asList(resources));
            return this;
        }

        /** Keep models uploaded by tests for the next tests (default: each test starts with the configured ones). */
        public Builder keepModelsBetweenTests(boolean keep) {
            this.keepModels = keep;
            return this;
        }

        /** Further emulator options (port, limits, lag, engine ...). */
        public Builder configure(Consumer<AdtEmulator.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public AdtEmulatorExtension build() {
            return new AdtEmulatorExtension(this);
        }
    }
}
