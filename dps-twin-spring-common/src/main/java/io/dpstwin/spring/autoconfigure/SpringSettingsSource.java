package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.config.CoreOptions;
import io.dpstwin.core.config.Setting;
import io.dpstwin.core.config.SettingValues;
import io.dpstwin.core.config.SettingsException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code dps-twin.*} settings through Spring's {@link Binder}: every property source, relaxed names
 * ({@code DPSTWIN_ALLOCATION_DEFAULTMODEL} from the environment), YAML lists or comma-separated values. It only
 * binds text; the settings model parses it, so values mean the same as in a Functions app.
 */
public final class SpringSettingsSource implements io.dpstwin.core.config.SettingsSource {

    private final Binder binder;

    public SpringSettingsSource(Binder binder) {
        this.binder = binder;
    }

    /**
     * Core's options from the environment.
     *
     * @throws DpsTwinConfigurationException naming every bad setting (the first as {@code property()})
     */
    public static CoreOptions read(Environment environment) {
        try {
            return CoreOptions.from(SettingValues.read(new SpringSettingsSource(Binder.get(environment)),
                    Setting.Host.SPRING));
        } catch (SettingsException e) {
            throw new DpsTwinConfigurationException(e.problems().get(0).setting(),
                    String.join("; ", e.problems().stream().map(SettingsException.Problem::message).toList()),
                    "Fix the setting" + (e.problems().size() > 1 ? "s" : "") + "; docs/configuration.md lists every "
                            + "setting with its type and default.", e);
        }
    }

    @Override
    public Optional<String> value(String name) {
        Optional<String> value = binder.bind(name, String.class).map(Optional::of).orElse(Optional.empty());
        if (value.isEmpty() && !keys(name).isEmpty()) {
            throw new IllegalArgumentException("is a structure, expected a single value (write JSON as a quoted "
                    + "string)");
        }
        return value;
    }

    @Override
    public List<String> list(String name) {
        return binder.bind(name, Bindable.listOf(String.class)).orElse(List.of());
    }

    @Override
    public Set<String> keys(String name) {
        return binder.bind(name, Bindable.mapOf(String.class, Object.class)).map(Map::keySet).orElse(Set.of());
    }
}
