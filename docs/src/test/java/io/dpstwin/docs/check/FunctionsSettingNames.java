package io.dpstwin.docs.check;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment names of every setting (both hosts read them; Spring-only ones are ignored by a Functions app) and
 * the aliases a Functions app reads.
 */
public final class FunctionsSettingNames {

    private static final Set<String> NAMES = read();

    private FunctionsSettingNames() {
    }

    /** Every setting name, sorted. */
    public static Set<String> all() {
        return NAMES;
    }

    private static Set<String> read() {
        Set<String> names = new TreeSet<>();
        for (Setting<?> setting : DpsTwinSettings.all()) {
            names.add(setting.environmentName());
            names.addAll(setting.aliases());
        }
        return Collections.unmodifiableSet(names);
    }
}
