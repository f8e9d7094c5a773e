package io.dpstwin.functions;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dpstwin.core.testing.AdapterRules;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Functions adapter translates: Functions types in, a core entry point called, its answer out. It holds no
 * policy of its own and reads nothing of the Spring starter.
 */
class ArchitectureTest {

    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dpstwin.functions");

    @Test
    void importsTheAdapter() {
        assertThat(ADAPTER.contain(AllocationHandler.class)).isTrue();
    }

    @Test
    void readsNoClassOfTheSpringStarter() {
        AdapterRules.readsNoClassOf("io.dpstwin.spring..", "org.springframework..").check(ADAPTER);
    }

    @Test
    void usesNoInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.dpstwin.core.internal..", "..internal..")
                .because("an adapter reaches core through its public API, as any other host would; what it needs"
                        + " from core's internals gets a public factory in core")
                .check(ADAPTER);
    }

    @Test
    void implementsNoPolicy() {
        AdapterRules.IMPLEMENTS_NO_POLICY.check(ADAPTER);
    }

    @Test
    void leavesTwinsToTheCoreFlows() {
        noClasses().should().dependOnClassesThat().areAssignableTo(DigitalTwinsGateway.class)
                .orShould().dependOnClassesThat().areAssignableTo(FindOrCreateTwin.class)
                .because("the adapter calls the allocation, lifecycle and reconcile entry points, never ADT itself")
                .check(ADAPTER);
    }
}
