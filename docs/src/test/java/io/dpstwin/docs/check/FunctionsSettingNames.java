package io.dpstwin.docs.check;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.testkit.azurite.AzuriteExtension;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment names of every setting (both hosts read them; Spring-only ones are ignored by a Functions app), the
 * aliases a Functions app reads, the names of 0.x it refuses naming their replacements (the migration guide lists
 * them), and the testkit's {@code DPSTWIN_AZURITE_REQUIRED} and {@code DPSTWIN_NODE_REQUIRED}.
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
        names.addAll(FunctionsSettings.renamedSettings().keySet());
        // not a setting of the library: the testkit's switch that makes a missing Azurite fail its tests
        names.add(AzuriteExtension.REQUIRED_VARIABLE);
        // likewise for the emulator's Node.js device SDK tests (NodeDeviceSdk in dps-twin-emulator's tests)
        names.add("DPSTWIN_NODE_REQUIRED");
        return Collections.unmodifiableSet(names);
    }
}
