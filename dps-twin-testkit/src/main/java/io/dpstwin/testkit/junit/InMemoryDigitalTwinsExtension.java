package io.dpstwin.testkit.junit;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A JUnit 5 extension giving a test class an in-memory ADT fake, declaratively with
 * {@link InMemoryDigitalTwinsTest} or programmatically:
 *
 * <pre>{@code
 * @RegisterExtension
 * static InMemoryDigitalTwinsExtension adt = InMemoryDigitalTwinsExtension.newInstance()
 *         .modelResources("models/thermostat.json")
 *         .build();
 * }</pre>
 *
 * One fake per class (shared with {@code @Nested} classes), reset before each test (twins, relationships, counters
 * and faults cleared; the configured models, only them unless models are kept, uploaded). Parameters of type
 * {@link InMemoryDigitalTwins}, {@link DigitalTwinsGateway} and {@link AdtEngine} are injected.
 */
public class InMemoryDigitalTwinsExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(InMemoryDigitalTwinsExtension.class);
    private static final String FAKE = "fake";
    private static final String SETTINGS = "settings";
    private static final Set<Class<?>> INJECTABLE = Set.of(InMemoryDigitalTwins.class, DigitalTwinsGateway.class,
            AdtEngine.class);

    private record Settings(List<String> models, boolean keepModels) {
    }

    private final boolean programmatic;
    private final List<String> models;
    private final List<String> modelResources;
    private final boolean keepModels;
    private final Supplier<AdtEngine> engines;
    private InMemoryDigitalTwins fake;
    private Settings settings;

    /** The declarative extension, configured by {@link InMemoryDigitalTwinsTest}. */
    public InMemoryDigitalTwinsExtension() {
        this.programmatic = false;
        this.models = List.of();
        this.modelResources = List.of();
        this.keepModels = false;
        this.engines = AdtEngine::create;
    }

    private InMemoryDigitalTwinsExtension(Builder builder) {
        this.programmatic = true;
        this.models = List.copyOf(builder.models);
        this.modelResources = List.copyOf(builder.modelResources);
        this.keepModels = builder.keepModels;
        this.engines = builder.engines;
    }

    /** Starts configuring an extension to register with {@code @RegisterExtension}. */
    public static Builder newInstance() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (programmatic) {
            create(context);
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(FAKE) == null) {
            InMemoryDigitalTwinsTest annotation = ClasspathModels.find(context.getRequiredTestClass(),
                    InMemoryDigitalTwinsTest.class).orElse(null);
            List<String> texts = annotation == null ? List.of()
                    : ClasspathModels.read(context.getRequiredTestClass(), Arrays.asList(annotation.models()));
            store.put(SETTINGS, new Settings(texts, annotation != null && annotation.keepModels()));
            store.put(FAKE, newFake(texts));
        }
    }

    private void create(ExtensionContext context) {
        List<String> texts = new ArrayList<>(models);
        texts.addAll(ClasspathModels.read(context.getTestClass().orElse(null), modelResources));
        settings = new Settings(texts, keepModels);
        fake = newFake(texts);
    }

    private InMemoryDigitalTwins newFake(List<String> texts) {
        InMemoryDigitalTwins created = new InMemoryDigitalTwins(engines.get());
        if (!texts.isEmpty()) {
            created.uploadModels(texts.toArray(String[]::new));
        }
        return created;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (programmatic && fake == null) {
            create(context);
        }
        InMemoryDigitalTwins current = fake(context);
        Settings currentSettings = programmatic ? settings
                : context.getStore(NAMESPACE).get(SETTINGS, Settings.class);
        if (currentSettings.keepModels()) {
            current.clearTwins();
            current.faults().clear();
        } else {
            current.reset();
            if (!currentSettings.models().isEmpty()) {
                current.uploadModels(currentSettings.models().toArray(String[]::new));
            }
        }
        current.counters().reset();
    }

    private InMemoryDigitalTwins fake(ExtensionContext context) {
        InMemoryDigitalTwins current = programmatic ? fake
                : context.getStore(NAMESPACE).get(FAKE, InMemoryDigitalTwins.class);
        if (current == null) {
            throw new IllegalStateException("The in-memory ADT fake is not set up.");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTABLE.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        InMemoryDigitalTwins current = fake(context);
        return parameter.getParameter().getType() == AdtEngine.class ? current.engine() : current;
    }

    /** The fake (programmatic registration). */
    public InMemoryDigitalTwins fake() {
        return Objects.requireNonNull(fake, "the fake is not set up yet");
    }

    /** Options of a programmatically registered {@link InMemoryDigitalTwinsExtension}. */
    public static final class Builder {

        private final List<String> models = new ArrayList<>();
        private final List<String> modelResources = new ArrayList<>();
        private boolean keepModels;
        private Supplier<AdtEngine> engines = AdtEngine::create;

        private Builder() {
        }

        /** DTDL texts (one interface or an array each) uploaded before each test. */
        public Builder models(String... dtdl) {
            models.addAll(Arrays.asList(dtdl));
            return this;
        }

        /** Classpath resources holding DTDL, uploaded before each test. */
        public Builder modelResources(String... resources) {
            modelResources.addAll(Arrays.asList(resources));
            return this;
        }

        /** Keep models uploaded by tests for the next tests. */
        public Builder keepModelsBetweenTests(boolean keep) {
            this.keepModels = keep;
            return this;
        }

        /** How the engine is made (e.g. with a clock, lag or limits); default {@link AdtEngine#create()}. */
        public Builder engine(Supplier<AdtEngine> engines) {
            this.engines = Objects.requireNonNull(engines, "engines");
            return this;
        }

        public InMemoryDigitalTwinsExtension build() {
            return new InMemoryDigitalTwinsExtension(this);
        }
    }
}
