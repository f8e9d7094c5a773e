package io.dpstwin.spring.bootline;

import java.util.Objects;
import java.util.Optional;

/** A dps-twin starter found a Spring Boot line it is not built for; {@link WrongBootLineFailureAnalyzer} reports it. */
public class WrongBootLineException extends IllegalStateException {

    private final StarterArtifact starter;
    private final String bootVersion;
    private final StarterArtifact rightStarter;

    /**
     * @param starter      the starter on the class path
     * @param bootVersion  the Spring Boot version found
     * @param rightStarter the starter for that version, or {@code null} when dps-twin has none
     */
    public WrongBootLineException(StarterArtifact starter, String bootVersion, StarterArtifact rightStarter) {
        super(starter.artifactId() + " is built for Spring Boot " + starter.bootLine() + ".x, but the application "
                + "runs Spring Boot " + bootVersion
                + (rightStarter == null ? "" : "; use " + rightStarter.coordinates() + " instead"));
        this.starter = Objects.requireNonNull(starter, "starter");
        this.bootVersion = bootVersion;
        this.rightStarter = rightStarter;
    }

    /** @return the starter on the class path */
    public StarterArtifact starter() {
        return starter;
    }

    /** @return the Spring Boot version found */
    public String bootVersion() {
        return bootVersion;
    }

    /** @return the starter for the Spring Boot version found, if dps-twin has one */
    public Optional<StarterArtifact> rightStarter() {
        return Optional.ofNullable(rightStarter);
    }
}
