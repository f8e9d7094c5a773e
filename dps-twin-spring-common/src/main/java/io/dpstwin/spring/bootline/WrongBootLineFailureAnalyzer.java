package io.dpstwin.spring.bootline;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link WrongBootLineException} into Spring Boot's "APPLICATION FAILED TO START" report naming the starter
 * for the Boot line the application runs.
 */
public class WrongBootLineFailureAnalyzer extends AbstractFailureAnalyzer<WrongBootLineException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WrongBootLineException cause) {
        StarterArtifact starter = cause.starter();
        String description = cause.starter().coordinates() + " is built for Spring Boot " + starter.bootLine()
                + ".x, but this application runs Spring Boot " + cause.bootVersion() + ".";
        String action = cause.rightStarter()
                .map(right -> "Replace " + starter.coordinates() + " with " + right.coordinates() + ", the dps-twin "
                        + "starter for Spring Boot " + right.bootLine() + ".x (keep the version from "
                        + "io.dpstwin:dps-twin-bom).")
                .orElse("Run the application on Spring Boot " + StarterArtifact.BOOT_3.bootLine() + ".x with "
                        + StarterArtifact.BOOT_3.coordinates() + ", or on Spring Boot "
                        + StarterArtifact.BOOT_4.bootLine() + ".x with " + StarterArtifact.BOOT_4.coordinates()
                        + ".");
        return new FailureAnalysis(description, action, cause);
    }
}
