package io.dpstwin.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core is framework-neutral: hosts (Spring, Azure Functions) and the testkit depend on it, never the reverse,
 * and it never chooses a credential for the user.
 */
class ArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dpstwin.core");
    }

    @Test
    void importsTheProductionClassesOfCore() {
        assertThat(core).isNotEmpty();
        assertThat(core.contain("io.dpstwin.core.internal.twins.FindOrCreateTwin")).isTrue();
    }

    @Test
    void coreDoesNotDependOnSpring() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("core is framework-neutral; Spring wiring lives in dps-twin-spring-starter"));
    }

    @Test
    void coreDoesNotDependOnAzureFunctions() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage("com.microsoft.azure.functions..")
                .because("Azure Functions wiring lives in dps-twin-functions-adapter"));
    }

    @Test
    void coreDoesNotDependOnTheTestkitOrOtherModules() {
        check(noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.dpstwin.testkit..", "io.dpstwin.functions..", "io.dpstwin.spring..")
                .because("the testkit and the adapters depend on core, not the reverse"));
    }

    @Test
    void coreDoesNotChooseACredential() {
        check(noClasses().should().dependOnClassesThat().resideInAnyPackage("com.azure.identity..")
                .because("core takes a TokenCredential; only adapters pick DefaultAzureCredential or managed identity"));
    }

    @Test
    void coreDoesNotDependOnTestFrameworks() {
        check(noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.junit..", "org.assertj..", "org.mockito..", "com.github.tomakehurst..")
                .because("test frameworks belong to tests and the testkit"));
    }

    private static void check(ArchRule rule) {
        rule.check(core);
    }
}
