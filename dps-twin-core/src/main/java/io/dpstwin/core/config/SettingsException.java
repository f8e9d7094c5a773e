package io.dpstwin.core.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings are invalid. The message names every offending setting (as the user wrote it) and what it expects; it
 * never quotes the value of a secret setting.
 */
public class SettingsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public SettingsException(List<Problem> problems) {
        super("dps-twin settings are invalid (" + problems.size() + (problems.size() == 1 ? " problem): "
                : " problems): ") + String.join("; ", problems.stream().map(Problem::message).toList()));
        this.problems = List.copyOf(problems);
    }

    /** One problem with one setting: {@code setting} is the name the user gave it. */
    public record Problem(String setting, String message) {
    }

    /** Every problem, in the order of {@link DpsTwinSettings#all()}. */
    public List<Problem> problems() {
        return problems;
    }

    /** The names of the settings that have a problem. */
    public Set<String> settingNames() {
        return problems.stream().map(Problem::setting).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
