package io.dpstwin.testkit.junit;

import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import org.junit.jupiter.api.extension.ExtensionContext;

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
public class InMemoryDigitalTwinsExtension extends TestResourceExtension<InMemoryDigitalTwinsExtension.Fake> {

    private static final Set<Class<?>> INJECTABLE = Set.of(InMemoryDigitalTwins.class, DigitalTwinsGateway.class,
            AdtEngine.class);

    /** The fake, the models uploaded before each test, and whether tests keep the models uploaded before. */
    record Fake(InMemoryDigitalTwins twins, List<String> models, boolean keepModels) implements AutoCloseable {
        @Override
        public void close() {
            // nothing to release: the fake lives in memory
        }
    }

    private final ModelsBuilder.Models configured;
    private final Supplier<AdtEngine> engines;

    /** The declarative extension, configured by {@link InMemoryDigitalTwinsTest}. */
    public InMemoryDigitalTwinsExtension() {
        super(false, INJECTABLE, "The in-memory ADT fake is not set up.");
        this.configured = ModelsBuilder.Models.NONE;
        this.engines = AdtEngine::create;
    }

    private InMemoryDigitalTwinsExtension(Builder builder) {
        super(true, INJECTABLE, "The in-memory ADT fake is not set up.");
        this.configured = builder.snapshot();
        this.engines = builder.engines;
    }

    /** Starts configuring an extension to register with {@code @RegisterExtension}. */
    public static Builder newInstance() {
        return new Builder();
    }

    @Override
    Fake startProgrammatic(ExtensionContext context) {
        List<String> texts = new ArrayList<>(configured.texts());
        texts.addAll(ClasspathModels.read(context.getTestClass().orElse(null), configured.resources()));
        return newFake(texts, configured.keep());
    }

    @Override
    Fake startDeclared(ExtensionContext context) {
        InMemoryDigitalTwinsTest annotation = ClasspathModels.find(context.getRequiredTestClass(),
                InMemoryDigitalTwinsTest.class).orElse(null);
        List<String> texts = annotation == null ? List.of()
                : ClasspathModels.read(context.getRequiredTestClass(), Arrays.asList(annotation.models()));
        return newFake(texts, annotation != null && annotation.keepModels());
    }

    private Fake newFake(List<String> texts, boolean keep) {
        InMemoryDigitalTwins created = new InMemoryDigitalTwins(engines.get());
        if (!texts.isEmpty()) {
            created.uploadModels(texts.toArray(String[]::new));
        }
        return new Fake(created, List.copyOf(texts), keep);
    }

    @Override
    void beforeTest(Fake fake) {
        InMemoryDigitalTwins current = fake.twins();
        if (fake.keepModels()) {
            current.clearTwins();
            current.faults().clear();
        } else {
            current.reset();
            if (!fake.models().isEmpty()) {
                current.uploadModels(fake.models().toArray(String[]::new));
            }
        }
        current.counters().reset();
    }

    @Override
    Object resolve(Fake fake, Class<?> type) {
        return type == AdtEngine.class ? fake.twins().engine() : fake.twins();
    }

    /** The fake (programmatic registration). */
    public InMemoryDigitalTwins fake() {
        return own().twins();
    }

    /** Options of a programmatically registered {@link InMemoryDigitalTwinsExtension}. */
    public static final class Builder extends ModelsBuilder<Builder> {

        private Supplier<AdtEngine> engines = AdtEngine::create;

        private Builder() {
        }

        @Override
        Builder self() {
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
