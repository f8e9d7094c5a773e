package io.dpstwin.docs.configuration;

import io.dpstwin.functions.FunctionsSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One option of dps-twin as each host spells it: its Spring property, its Functions app setting and the core builder
 * methods that take it in plain Java. At least one of the two host names is set. The meaning and default of an option
 * with a Spring property come from the starter's configuration metadata; an option without one carries its own
 * {@link #meaning()}.
 *
 * @param springProperty   the Spring property, e.g. {@code dps-twin.lifecycle.parallelism}; {@code null} for none
 * @param functionsSetting the Functions app setting, e.g. {@code DPSTWIN_PARALLELISM}; {@code null} for none
 * @param java             core builder methods that set the option in plain Java
 * @param meaning          the meaning of an option without a Spring property
 * @param defaultText      the default shown when the metadata has none (e.g. "required", "every hub")
 * @param note             a sentence added to the meaning, e.g. how the Functions setting differs in form
 * @param difference       why the Functions default differs from the Spring default, when it knowingly does
 * @param functionsDefault the value a Functions app uses when the setting is unset, read through
 *                         {@link FunctionsSettings} and the core options it builds
 * @param coreDefault      core's own default, read from the core options' defaults
 */
public record Option(String springProperty, String functionsSetting, List<JavaMethod> java, String meaning,
                     String defaultText, String note, String difference,
                     Function<FunctionsSettings, Object> functionsDefault, Supplier<Object> coreDefault) {

    /** A public method of a core type, e.g. {@code LifecycleOptions.Builder#parallelism}. */
    public record JavaMethod(Class<?> type, String method) {

        public JavaMethod {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(method, "method");
        }

        /** {@code LifecycleOptions.Builder#parallelism}: the type's name without its package. */
        @Override
        public String toString() {
            String name = type.getName();
            return name.substring(name.lastIndexOf('.') + 1).replace('$', '.') + "#" + method;
        }
    }

    public Option {
        java = List.copyOf(java);
    }

    /** An option with a Spring property. */
    public static Option spring(String property) {
        return new Option(Objects.requireNonNull(property, "property"), null, List.of(), null, null, null, null, null,
                null);
    }

    /** An option that only a Functions app has, with its meaning. */
    public static Option functionsOnly(String setting, String meaning) {
        return new Option(null, Objects.requireNonNull(setting, "setting"), List.of(), meaning, null, null, null, null,
                null);
    }

    /** The same option with its Functions app setting. */
    public Option functions(String setting) {
        return new Option(springProperty, setting, java, meaning, defaultText, note, difference, functionsDefault,
                coreDefault);
    }

    /** The same option with more core builder methods of one type. */
    public Option java(Class<?> type, String... methods) {
        List<JavaMethod> more = new ArrayList<>(java);
        for (String method : methods) {
            more.add(new JavaMethod(type, method));
        }
        return new Option(springProperty, functionsSetting, more, meaning, defaultText, note, difference,
                functionsDefault, coreDefault);
    }

    /** The same option with the default to show when the Spring metadata has none. */
    public Option defaultText(String text) {
        return new Option(springProperty, functionsSetting, java, meaning, text, note, difference, functionsDefault,
                coreDefault);
    }

    /** The same option with a sentence added to its meaning. */
    public Option note(String text) {
        return new Option(springProperty, functionsSetting, java, meaning, defaultText, text, difference,
                functionsDefault, coreDefault);
    }

    /** The same option, whose Functions default knowingly differs from the Spring default, and why. */
    public Option differs(String why) {
        return new Option(springProperty, functionsSetting, java, meaning, defaultText, note, why, functionsDefault,
                coreDefault);
    }

    /** The same option with the way to read the value a Functions app uses by default. */
    public Option functionsDefault(Function<FunctionsSettings, Object> read) {
        return new Option(springProperty, functionsSetting, java, meaning, defaultText, note, difference, read,
                coreDefault);
    }

    /** The same option with the way to read core's default. */
    public Option coreDefault(Supplier<Object> read) {
        return new Option(springProperty, functionsSetting, java, meaning, defaultText, note, difference,
                functionsDefault, read);
    }

    /** The option's name for messages: its Spring property, else its Functions setting. */
    public String name() {
        return springProperty != null ? springProperty : String.valueOf(functionsSetting);
    }
}
