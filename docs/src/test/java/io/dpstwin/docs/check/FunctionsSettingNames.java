package io.dpstwin.docs.check;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The app settings a Functions app reads: the environment form of every setting it serves, and their aliases. */
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
            if (setting.host() == Setting.Host.BOTH) {
                names.add(setting.environmentName());
                names.addAll(setting.aliases());
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
