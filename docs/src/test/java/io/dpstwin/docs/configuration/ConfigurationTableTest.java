package io.dpstwin.docs.configuration;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.docs.check.Repository;
import io.dpstwin.docs.check.SpringMetadata;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables of docs/configuration.md are generated from the settings model ({@code -Ddocs.update=true} refreshes
 * them); every declared setting is documented there and reaches IDEs through the Spring metadata.
 */
class ConfigurationTableTest {

    static final String BEGIN = "<!-- BEGIN GENERATED options -->";
    static final String END = "<!-- END GENERATED options -->";
    private static final Path FILE = Repository.root().resolve("docs/configuration.md");

    /** The generated part of docs/configuration.md. */
    static String markdown() {
        StringBuilder out = new StringBuilder();
        for (DpsTwinSettings.Section section : DpsTwinSettings.sections()) {
            out.append("\n### ").append(section.title()).append("\n\n").append(section.intro()).append("\n\n")
                    .append("| Spring property | Environment (Spring and Functions) | Default | Meaning |\n")
                    .append("|---|---|---|---|\n");
            for (Setting<?> s : section.settings()) {
                String env = s.host() == Setting.Host.SPRING ? "`" + s.environmentName() + "` (Spring only)"
                        : "`" + s.environmentName() + "`" + s.aliases().stream().map(a -> " or `" + a + "`")
                        .reduce("", String::concat);
                String shown = s.defaultShown();
                String value = shown.isEmpty() ? "none" : s.defaultIsText() ? shown : "`" + shown + "`";
                String values = s.type().values().isEmpty() || s.type().isKeyed() ? ""
                        : " Values: " + String.join(", ", s.type().values().stream().map(v -> "`" + v + "`").toList())
                        + ".";
                out.append("| `").append(s.name()).append("` | ").append(env).append(" | ").append(value)
                        .append(" | ").append(s.description().replace("|", "\\|")).append(values).append(" |\n");
            }
        }
        return out.append('\n').toString();
    }

    @Test
    void theTablesAreTheModelsRendering() throws Exception {
        String text = Files.readString(FILE);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("markers in %s", FILE).isNotNegative().isLessThan(end);
        String updated = text.substring(0, begin + BEGIN.length()) + "\n" + markdown() + text.substring(end);
        if (Boolean.getBoolean("docs.update")) {
            Files.writeString(FILE, updated);
        }
        assertThat(text).as("docs/configuration.md is stale: run with -Ddocs.update=true").isEqualTo(updated);
    }

    @Test
    void everyDeclaredSettingIsInASectionAndInTheSpringMetadataWithItsDescription() throws Exception {
        List<Setting<?>> declared = new ArrayList<>();
        for (Field field : DpsTwinSettings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                declared.add((Setting<?>) field.get(null));
            }
        }
        assertThat(DpsTwinSettings.all()).as("every declared setting is in a section (and so in the docs)")
                .containsExactlyInAnyOrderElementsOf(declared);
        SpringMetadata metadata = SpringMetadata.load();
        for (Setting<?> setting : declared) {
            assertThat(metadata.properties()).as("Spring metadata of %s", setting).containsKey(setting.name());
            assertThat(metadata.properties().get(setting.name()).description()).isEqualTo(setting.description());
        }
    }
}
