package io.dpstwin.spring.bootline;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Fails the start, before any auto-configuration is read, when a dps-twin starter runs on a Spring Boot line it is not
 * built for; {@link WrongBootLineFailureAnalyzer} then names the starter for the line found. Each starter registers
 * its subclass as an {@link ApplicationContextInitializer} in {@code META-INF/spring.factories}, which both Boot
 * lines read the same way. When Boot's version cannot be read (no manifest, e.g. classes run from an IDE), the check
 * lets the start go on.
 */
public abstract class BootLineCheck
        implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

    private final StarterArtifact starter;
    private final Supplier<String> bootVersion;

    /**
     * @param starter     the starter doing the check
     * @param bootVersion Spring Boot's version on the class path ({@code SpringBootVersion::getVersion}), or
     *                    {@code null} when unknown
     */
    protected BootLineCheck(StarterArtifact starter, Supplier<String> bootVersion) {
        this.starter = Objects.requireNonNull(starter, "starter");
        this.bootVersion = Objects.requireNonNull(bootVersion, "bootVersion");
    }

    /** @param starter the starter doing the check, against the Spring Boot on the class path */
    protected BootLineCheck(StarterArtifact starter) {
        this(starter, SpringBootVersion::getVersion);
    }

    @Override
    public void initialize(ConfigurableApplicationContext applicationContext) {
        check();
    }

    /**
     * @throws WrongBootLineException when Spring Boot's major version is not the starter's
     */
    public void check() {
        String version = bootVersion.get();
        Integer major = StarterArtifact.major(version);
        if (major == null || major == starter.bootMajor()) {
            return;
        }
        throw new WrongBootLineException(starter, version, StarterArtifact.forBootMajor(major).orElse(null));
    }

    /** First: nothing else should be built on the wrong Boot line. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
