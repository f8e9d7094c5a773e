package io.dpstwin.samples.spring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring sample shows the public way in: the starter and core's public types. Its offline demo (package
 * {@code local}) may use the testkit's emulators, never anyone's internals.
 */
class ArchitectureTest {

    private static final JavaClasses SAMPLE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dpstwin.samples.spring");

    @Test
    void importsTheSample() {
        assertThat(SAMPLE.contain(DpsTwinSampleApplication.class)).isTrue();
    }

    @Test
    void usesNoInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.dpstwin.core.support..", "..internal..",
                        "io.dpstwin.functions..", "com.azure.messaging.eventhubs..")
                .because("a sample is what users copy; internals may change without notice")
                .check(SAMPLE);
    }

    @Test
    void theApplicationItselfNeedsNoTestkit() {
        noClasses().that().resideOutsideOfPackage("io.dpstwin.samples.spring.local..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dpstwin.testkit..")
                .because("what runs in production carries no test library")
                .check(SAMPLE);
    }
}
