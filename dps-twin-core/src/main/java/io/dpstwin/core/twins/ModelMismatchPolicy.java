package io.dpstwin.core.twins;

/**
 * What find-or-create does when the device's twin exists with another model than the one resolved for it.
 * A twin is never replaced silently.
 */
public enum ModelMismatchPolicy {
    /** Refuse: the allocation is rejected with 400 naming both models (default). */
    REJECT,
    /** Keep the existing twin and its model untouched. */
    KEEP,
    /** Change the twin's model with a JSON Patch of {@code /$metadata/$model}; ADT checks the twin conforms. */
    MIGRATE
}
