package io.dpstwin.testkit.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against an HTTPS ADT emulator: one emulator per class (shared with {@code @Nested} classes),
 * reset before each test, stopped after the class. Test and lifecycle methods may declare parameters of type
 * {@link io.dpstwin.testkit.emulator.AdtEmulator}, {@link com.azure.digitaltwins.core.DigitalTwinsClient},
 * {@link io.dpstwin.testkit.emulator.RequestJournal} or {@link io.dpstwin.testkit.adt.AdtEngine}.
 *
 * <pre>{@code
 * @AdtEmulatorTest(models = "models/thermostat.json")
 * class ProvisioningTest {
 *     @Test
 *     void createsTheTwin(DigitalTwinsClient client, AdtEmulator adt) { ... }
 * }
 * }</pre>
 *
 * For more options register {@link AdtEmulatorExtension} programmatically instead (do not combine both).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AdtEmulatorExtension.class)
public @interface AdtEmulatorTest {

    /** Classpath resources holding DTDL (one interface or an array each), uploaded at start and after each reset. */
    String[] models() default {};

    /**
     * Whether models uploaded by a test stay for the next tests. By default each test starts with exactly the
     * {@link #models()}.
     */
    boolean keepModels() default false;
}
