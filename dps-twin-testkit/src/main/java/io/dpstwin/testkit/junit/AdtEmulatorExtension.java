package io.dpstwin.testkit.junit;

import com.azure.digitaltwins.core.DigitalTwinsClient;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.emulator.AdtEmulator;
import io.dpstwin.testkit.emulator.RequestJournal;
import org.junit.jupiter.api.extension.ExtensionContext;

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
public class AdtEmulatorExtension extends TestResourceExtension<AdtEmulatorExtension.Running> {

    private static final Set<Class<?>> INJECTABLE = Set.of(AdtEmulator.class, DigitalTwinsClient.class,
            RequestJournal.class, AdtEngine.class);
    private static final String NOT_RUNNING = "The ADT emulator is not running (register the extension on a static "
            + "field for class-level use, or use it from a test).";

    private final ModelsBuilder.Models configured;
    private final Consumer<AdtEmulator.Builder> customizer;

    /** The declarative extension, configured by {@link AdtEmulatorTest}. */
    public AdtEmulatorExtension() {
        super(false, INJECTABLE, NOT_RUNNING);
        this.configured = ModelsBuilder.Models.NONE;
        this.customizer = builder -> { };
    }

    private AdtEmulatorExtension(Builder builder) {
        super(true, INJECTABLE, NOT_RUNNING);
        this.configured = builder.snapshot();
        this.customizer = builder.customizer;
    }

    /** Starts configuring an extension to register with {@code @RegisterExtension}. */
    public static Builder newInstance() {
        return new Builder();
    }

    /** A started emulator and whether tests keep the models uploaded by earlier tests. */
    record Running(AdtEmulator emulator, boolean keepModels) implements AutoCloseable {
        @Override
        public void close() {
            emulator.close();
        }
    }

    @Override
    Running startProgrammatic(ExtensionContext context) {
        return new Running(start(context, configured.texts(), configured.resources()), configured.keep());
    }

    @Override
    Running startDeclared(ExtensionContext context) {
        AdtEmulatorTest settings = ClasspathModels.find(context.getRequiredTestClass(), AdtEmulatorTest.class)
                .orElse(null);
        List<String> resources = settings == null ? List.of() : Arrays.asList(settings.models());
        return new Running(start(context, List.of(), resources), settings != null && settings.keepModels());
    }

    @Override
    void beforeTest(Running running) {
        if (running.keepModels()) {
            running.emulator().resetKeepingModels();
        } else {
            running.emulator().reset();
        }
    }

    private AdtEmulator start(ExtensionContext context, List<String> texts, List<String> resources) {
        List<String> all = new ArrayList<>(texts);
        all.addAll(ClasspathModels.read(context.getTestClass().orElse(null), resources));
        AdtEmulator.Builder builder = AdtEmulator.builder().models(all.toArray(String[]::new));
        customizer.accept(builder);
        return builder.start();
    }

    @Override
    Object resolve(Running running, Class<?> type) {
        AdtEmulator current = running.emulator();
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
        return own().emulator();
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
    public static final class Builder extends ModelsBuilder<Builder> {

        private Consumer<AdtEmulator.Builder> customizer = builder -> { };

        private Builder() {
        }

        @Override
        Builder self() {
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
