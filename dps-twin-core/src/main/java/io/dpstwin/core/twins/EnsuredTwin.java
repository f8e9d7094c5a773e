package io.dpstwin.core.twins;

import io.dpstwin.core.internal.twins.FindOrCreateTwin;

import java.util.Objects;

/**
 * The result of {@link FindOrCreateTwin#ensureTwin}: the twin as it now stands and how it came to be.
 */
public record EnsuredTwin(DigitalTwin twin, Outcome outcome) {

    /** How find-or-create reached the twin. */
    public enum Outcome {
        /** The twin did not exist and was created. */
        CREATED,
        /** The twin existed with the requested model. */
        FOUND,
        /** The twin existed with another model and was kept as it is ({@link ModelMismatchPolicy#KEEP}). */
        KEPT_OTHER_MODEL,
        /** The twin existed with another model and was migrated ({@link ModelMismatchPolicy#MIGRATE}). */
        MIGRATED
    }

    public EnsuredTwin {
        Objects.requireNonNull(twin, "twin");
        Objects.requireNonNull(outcome, "outcome");
    }
}
