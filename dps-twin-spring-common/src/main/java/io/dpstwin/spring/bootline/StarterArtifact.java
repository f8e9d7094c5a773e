package io.dpstwin.spring.bootline;

import java.util.Optional;

/** The dps-twin starters, one per Spring Boot line, as applications name them in their build. */
public enum StarterArtifact {

    /** Spring Boot 3.5 (with Spring Cloud Azure 6). */
    BOOT_3("dps-twin-spring-boot3-starter", 3, "3.5"),

    /** Spring Boot 4. */
    BOOT_4("dps-twin-spring-starter", 4, "4.0");

    /** The group of every dps-twin artifact. */
    public static final String GROUP_ID = "io.dpstwin";

    private final String artifactId;
    private final int bootMajor;
    private final String bootLine;

    StarterArtifact(String artifactId, int bootMajor, String bootLine) {
        this.artifactId = artifactId;
        this.bootMajor = bootMajor;
        this.bootLine = bootLine;
    }

    /** @return the artifact id, e.g. {@code dps-twin-spring-boot3-starter} */
    public String artifactId() {
        return artifactId;
    }

    /** @return {@code io.dpstwin:<artifactId>} */
    public String coordinates() {
        return GROUP_ID + ":" + artifactId;
    }

    /** @return Spring Boot's major version this starter is built for */
    public int bootMajor() {
        return bootMajor;
    }

    /** @return the Spring Boot line it is built and tested on, e.g. {@code 3.5} */
    public String bootLine() {
        return bootLine;
    }

    /** @return the starter for a Spring Boot major version, if dps-twin has one */
    public static Optional<StarterArtifact> forBootMajor(int major) {
        for (StarterArtifact starter : values()) {
            if (starter.bootMajor == major) {
                return Optional.of(starter);
            }
        }
        return Optional.empty();
    }

    /** @return the major version of a Spring Boot version such as {@code 3.5.7}, or {@code null} if unreadable */
    static Integer major(String version) {
        if (version == null) {
            return null;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.valueOf((dot < 0 ? version : version.substring(0, dot)).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
