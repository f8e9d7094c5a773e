package io.dpstwin.spring.autoconfigure;

import java.util.Objects;

/**
 * A {@code dps-twin.*} setting is missing or invalid. Thrown while the application context starts, so that a wrong
 * configuration fails fast; {@link DpsTwinConfigurationFailureAnalyzer} prints it as a description and an action.
 * The message names the property, never its value (values may be secrets).
 */
public class DpsTwinConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String problem;
    private final String action;

    /**
     * @param property the property at fault, e.g. {@code dps-twin.digital-twins.endpoint}
     * @param problem  what is wrong, without the property's value
     * @param action   what to do about it
     */
    public DpsTwinConfigurationException(String property, String problem, String action) {
        this(property, problem, action, null);
    }

    public DpsTwinConfigurationException(String property, String problem, String action, Throwable cause) {
        super(Objects.requireNonNull(property, "property") + ": " + Objects.requireNonNull(problem, "problem")
                + ". " + Objects.requireNonNull(action, "action"), cause);
        this.property = property;
        this.problem = problem;
        this.action = action;
    }

    /** The property at fault. */
    public String property() {
        return property;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
