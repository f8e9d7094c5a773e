package io.dpstwin.samples.functions;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The Functions sample shows the public way in: the adapter's handlers, nothing behind them. */
class ArchitectureTest {

    @Test
    void usesOnlyTheAdapterAndNoInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.dpstwin.core.support..", "..internal..",
                        "io.dpstwin.spring..")
                .because("a sample is what users copy; internals may change without notice")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.dpstwin.samples.functions"));
    }
}
