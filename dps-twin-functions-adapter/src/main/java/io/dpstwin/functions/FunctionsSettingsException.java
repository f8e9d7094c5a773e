package io.dpstwin.functions;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The function app's settings are missing or invalid. The message names every offending setting and what it
 * expects; it never contains the value of a secret setting (connection strings, keys).
 */
public final class FunctionsSettingsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    FunctionsSettingsException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** One problem with one setting. */
    public record Problem(String setting, String message) {

        @Override
        public String toString() {
            return message;
        }
    }

    /** Every problem found, in the order of the settings table. */
    public List<Problem> problems() {
        return problems;
    }

    /** The names of the settings that have a problem. */
    public Set<String> settingNames() {
        Set<String> names = new LinkedHashSet<>();
        problems.forEach(p -> names.add(p.setting()));
        return names;
    }

    private static String message(List<Problem> problems) {
        StringBuilder out = new StringBuilder("dps-twin app settings are invalid (")
                .append(problems.size()).append(problems.size() == 1 ? " problem): " : " problems): ");
        for (int i = 0; i < problems.size(); i++) {
            if (i > 0) {
                out.append("; ");
            }
            out.append(problems.get(i).message());
        }
        return out.toString();
    }
}
