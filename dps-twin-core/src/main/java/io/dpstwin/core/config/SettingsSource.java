package io.dpstwin.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where a host finds the text of settings, by their {@link Setting#name() names}: Spring's Binder, app settings. */
public interface SettingsSource {

    /** The text of a single-valued setting, or empty when it is not given. */
    Optional<String> value(String name);

    /** The entries of a list setting; by default its value split at commas. Empty when it is not given. */
    default List<String> list(String name) {
        return value(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** The ids of a keyed setting ({@code name[id].member}); none by default. */
    default Set<String> keys(String name) {
        return Set.of();
    }

    /** The name a user gave the setting in this source, for messages; the setting's own name by default. */
    default String nameOf(String name) {
        return name;
    }
}
