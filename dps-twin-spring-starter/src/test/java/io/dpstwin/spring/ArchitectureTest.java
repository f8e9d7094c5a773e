package io.dpstwin.spring;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.dpstwin.core.testing.AdapterRules;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.core.internal.twins.FindOrCreateTwin;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter wires and translates: Spring types in, a core entry point called, its answer out. It holds no policy,
 * never writes to ADT itself and reads nothing of the Functions adapter. The same rules run in both starters (the
 * Boot 3.5 starter compiles this class too), over dps-twin-spring-common and the starter of the Boot line at hand;
 * the shared code uses no API that only one Boot line has.
 */
class ArchitectureTest {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dpstwin.spring");

    /** What the health indicator may ask ADT; everything else goes through the core flows. */
    private static final Set<String> READS = Set.of("getTwin", "getModel");

    @Test
    void importsTheStarter() {
        assertThat(STARTER.contain("io.dpstwin.spring.webhook.AllocationWebhook")).isTrue();
    }

    @Test
    void importsTheSharedCodeAndTheStarterOfTheBootLineAtHand() {
        assertThat(STARTER.contain("io.dpstwin.spring.bootline.BootLineCheck")).isTrue();
        assertThat(STARTER.contain("io.dpstwin.spring.boot4.SpringBoot4LineCheck")
                || STARTER.contain("io.dpstwin.spring.boot3.SpringBoot3LineCheck")).isTrue();
    }

    @Test
    void theSharedCodeUsesNoApiOfOneBootLineOnly() {
        noClasses().that().resideOutsideOfPackages("io.dpstwin.spring.health..", "io.dpstwin.spring.boot3..",
                        "io.dpstwin.spring.boot4..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        // Boot 4 only
                        "org.springframework.boot.health..", "org.springframework.boot.thread..",
                        "org.springframework.boot.webmvc..", "org.springframework.boot.micrometer..",
                        // Boot 3.5 only
                        "org.springframework.boot.actuate.health..",
                        "org.springframework.boot.actuate.autoconfigure.health..",
                        "org.springframework.boot.autoconfigure.thread..", "org.springframework.boot.autoconfigure.web..")
                .because("dps-twin-spring-common runs on Spring Boot 3.5 and 4; what differs lives in each starter")
                .check(STARTER);
    }

    @Test
    void readsNoClassOfTheFunctionsAdapter() {
        AdapterRules.readsNoClassOf("io.dpstwin.functions..", "com.microsoft.azure.functions..").check(STARTER);
    }

    @Test
    void usesNoInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.dpstwin.core.internal..", "..internal..")
                .because("an adapter reaches core through its public API, as any other host would; what it needs"
                        + " from core's internals gets a public factory in core")
                .check(STARTER);
    }

    @Test
    void implementsNoPolicy() {
        AdapterRules.IMPLEMENTS_NO_POLICY.check(STARTER);
    }

    @Test
    void neverChangesTwinsItself() {
        noClasses().should().callMethodWhere(DescribedPredicate.describe("a DigitalTwinsGateway write",
                        (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(DigitalTwinsGateway.class)
                                && !READS.contains(call.getName())))
                .orShould().dependOnClassesThat().areAssignableTo(FindOrCreateTwin.class)
                .because("twins change only through the allocation, lifecycle and reconcile entry points")
                .check(STARTER);
    }

    @Test
    void onlyTheWiringAndTheHealthCheckSeeTheGateway() {
        noClasses().that().resideInAnyPackage("io.dpstwin.spring.webhook..", "io.dpstwin.spring.eventhubs..",
                        "io.dpstwin.spring.reconcile..")
                .should().dependOnClassesThat().areAssignableTo(DigitalTwinsGateway.class)
                .because("endpoints and consumers translate to core entry points")
                .check(STARTER);
    }
}
