package io.dpstwin.core;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core is framework-neutral: hosts (Spring, Azure Functions) and the testkit depend on it, never the reverse,
 * and it never chooses a credential for the user. Its implementation classes that more than one package needs live
 * in {@code io.dpstwin.core.internal.<area>}, and no public type outside them hands one out.
 */
class ArchitectureTest {

    private static final String INTERNAL = "io.dpstwin.core.internal..";

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

    @Test
    void internalPackagesLiveUnderOneRoot() {
        check(classes().that().resideInAPackage("..internal..")
                .should().resideInAPackage(INTERNAL)
                .because("one root (io.dpstwin.core.internal.<area>) is what the adapters' and samples' rules exclude"
                        + " and what japicmp leaves out of the API baseline"));
    }

    @Test
    void thePublicApiHandsOutNoInternalType() {
        DescribedPredicate<JavaClass> internal = JavaClass.Predicates.resideInAPackage(INTERNAL);
        DescribedPredicate<JavaClass> publicApi = DescribedPredicate.describe("public types outside the internal packages",
                type -> type.getModifiers().contains(JavaModifier.PUBLIC)
                        && !type.getPackageName().startsWith("io.dpstwin.core.internal"));
        check(noCodeUnits().that().arePublic().and().areDeclaredInClassesThat(publicApi)
                .should().haveRawReturnType(internal)
                .orShould().haveRawParameterTypes(DescribedPredicate.describe("an internal parameter type",
                        (List<JavaClass> types) -> types.stream().anyMatch(internal)))
                .because("a user who needs an internal type to call the API is a user of the internals"));
        check(noFields().that().arePublic().and().areDeclaredInClassesThat(publicApi)
                .should().haveRawType(internal)
                .because("a user who needs an internal type to call the API is a user of the internals"));
    }

    private static void check(ArchRule rule) {
        rule.check(core);
    }
}
