package io.dpstwin.testkit.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test class against an in-memory ADT fake: one {@link io.dpstwin.testkit.adt.InMemoryDigitalTwins} per
 * class, reset before each test. Test and lifecycle methods may declare parameters of type
 * {@link io.dpstwin.testkit.adt.InMemoryDigitalTwins}, {@link io.dpstwin.core.twins.DigitalTwinsGateway} or
 * {@link io.dpstwin.testkit.adt.AdtEngine}.
 *
 * <pre>{@code
 * @InMemoryDigitalTwinsTest(models = "models/thermostat.json")
 * class RetirementTest {
 *     @Test
 *     void deletesRelationshipsFirst(InMemoryDigitalTwins adt) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(InMemoryDigitalTwinsExtension.class)
public @interface InMemoryDigitalTwinsTest {

    /** Classpath resources holding DTDL (one interface or an array each), uploaded before each test. */
    String[] models() default {};

    /** Whether models uploaded by a test stay for the next tests. */
    boolean keepModels() default false;
}
