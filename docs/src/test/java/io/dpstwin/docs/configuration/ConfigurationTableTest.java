package io.dpstwin.docs.configuration;

import io.dpstwin.core.config.DpsTwinSettings;
import io.dpstwin.core.config.Setting;
import io.dpstwin.docs.check.Repository;
import io.dpstwin.docs.check.SpringMetadata;
import io.dpstwin.functions.FunctionsSettings;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables of docs/configuration.md are generated from the settings model ({@code -Ddocs.update=true} refreshes
 * them); every declared setting is documented there and reaches IDEs through the Spring metadata.
 */
class ConfigurationTableTest {

    private static final Path FILE = Repository.root().resolve("docs/configuration.md");

    /** The table of one section of docs/configuration.md. */
    static String markdown(DpsTwinSettings.Section section) {
        StringBuilder out = new StringBuilder("| Spring property | Environment (Spring and Functions) | Default | Meaning |\n"
                + "|---|---|---|---|\n");
        for (Setting<?> s : section.settings()) {
            String env = "`" + s.environmentName() + "`" + (s.host() == Setting.Host.SPRING ? " (Spring only)"
                    : s.aliases().stream().map(a -> " or `" + a + "`").collect(Collectors.joining()));
            String shown = s.defaultShown();
            String value = shown.isEmpty() ? "none" : s.defaultText() != null ? shown : "`" + shown + "`";
            String values = s.type().values().isEmpty() || s.type().isKeyed() ? "" : " Values: "
                    + String.join(", ", s.type().values().stream().map(v -> "`" + v + "`").toList()) + ".";
            out.append("| `").append(s.name()).append("` | ").append(env).append(" | ").append(value).append(" | ")
                    .append(s.description().replace("|", "\\|")).append(values).append(" |\n");
        }
        return out.toString();
    }

    /** The old name → new name table of the migration guide, from the Functions adapter's aliases. */
    static String renamed() {
        StringBuilder out = new StringBuilder("\n| dps-twin 0.x app setting (no longer read) | New name (both hosts) |\n|---|---|\n");
        FunctionsSettings.renamedSettings().forEach((old, names) -> out.append("| `").append(old).append("` | ")
                .append(String.join(" and ", names.stream().map(n -> "`" + n + "`").toList())).append(" |\n"));
        return out.append('\n').toString();
    }

    @Test
    void theTablesAreTheModelsRendering() throws Exception {
        for (DpsTwinSettings.Section section : DpsTwinSettings.sections()) {
            assertRegion(FILE, "options: " + section.title(), markdown(section));
        }
    }

    @Test
    void theMigrationGuideListsEveryRenamedSetting() throws Exception {
        assertRegion(Repository.root().resolve("docs/migration-from-the-reference-sample.md"), "renamed", renamed());
    }

    private static void assertRegion(Path file, String name, String generated) throws Exception {
        String text = Files.readString(file);
        String begin = "<!-- BEGIN GENERATED " + name + " -->";
        int from = text.indexOf(begin);
        int end = text.indexOf("<!-- END GENERATED " + name + " -->");
        assertThat(from).as("markers in %s", file).isNotNegative().isLessThan(end);
        String updated = text.substring(0, from + begin.length()) + "\n" + generated + text.substring(end);
        if (Boolean.getBoolean("docs.update") && !text.equals(updated)) {
            Files.writeString(file, updated);
            return;
        }
        assertThat(text).as("%s is stale: run with -Ddocs.update=true", file).isEqualTo(updated);
    }

    @Test
    void everyDeclaredSettingIsInASectionAndInTheSpringMetadataWithItsDescription() throws Exception {
        List<Setting<?>> declared = new ArrayList<>();
        for (Field field : DpsTwinSettings.class.getFields()) {
            if (field.getType() == Setting.class) {
                declared.add((Setting<?>) field.get(null)); // every public field is static
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
