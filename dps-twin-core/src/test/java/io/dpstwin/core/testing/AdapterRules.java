package io.dpstwin.core.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import io.dpstwin.core.config.SettingsSource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The ArchUnit rules every adapter keeps, checked by each adapter's {@code ArchitectureTest} (shared through core's
 * test-jar).
 */
public final class AdapterRules {

    /** An adapter translates: it implements none of core's interfaces except the host's settings. */
    public static final ArchRule IMPLEMENTS_NO_POLICY = noClasses().should()
            .implement(JavaClass.Predicates.resideInAnyPackage("io.dpstwin.core..")
                    .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(SettingsSource.class))))
            .because("reading the host's settings (SettingsSource) is translation; policies (hub selection, models,"
                    + " twin ids, retirement, dead letters, the ADT gateway) live in core, so that every host behaves"
                    + " alike");

    private AdapterRules() {
    }

    /** An adapter reads no class of {@code packages}: those of the other adapter and its framework. */
    public static ArchRule readsNoClassOf(String... packages) {
        return noClasses().should().dependOnClassesThat().resideInAnyPackage(packages)
                .because("each adapter stands on core alone");
    }
}
