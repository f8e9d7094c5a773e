package io.dpstwin.docs;

import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.FunctionsSettingNames;
import io.dpstwin.docs.check.ProseNames;
import io.dpstwin.docs.check.Snippets;
import io.dpstwin.docs.check.SpringMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The documentation checks catch what they are for: a check that cannot fail would prove nothing. */
class CheckerTest {

    private static final String EXCERPTS = "docs/src/test/resources/checker/excerpts.txt";

    @TempDir
    Path dir;

    @Test
    void anExcerptIsTheTaggedRegionShiftedLeftWithoutNestedMarkers() {
        assertThat(Snippets.excerpt(EXCERPTS + "#greeting"))
                .containsExactly("String greeting = \"hello\";", "greeting = greeting + \"!\";");
        assertThat(Snippets.excerpt(EXCERPTS + "#inner")).containsExactly("greeting = greeting + \"!\";");
    }

    @Test
    void anIncludeOfAMissingFileOrTagIsAnError() {
        assertThatThrownBy(() -> Snippets.excerpt("docs/nowhere.java#x")).hasMessageContaining("no file");
        assertThatThrownBy(() -> Snippets.excerpt(EXCERPTS + "#absent")).hasMessageContaining("tag::absent[]");
    }

    @Test
    void aJavaBlockWithoutIncludeFails() {
        assertThatThrownBy(() -> CodeBlocksTest.check(block("java", "", "int x = 1;")))
                .hasMessageContaining("must be an excerpt of a compiled source");
    }

    @Test
    void aBlockThatDiffersFromItsExcerptFailsAndOneThatMatchesPasses() {
        String include = "<!-- include: " + EXCERPTS + "#inner -->";
        assertThatThrownBy(() -> CodeBlocksTest.check(block("text", include, "greeting = \"stale\";")))
                .hasMessageContaining("-Ddocs.update=true");
        assertThatCode(() -> CodeBlocksTest.check(block("text", include, "greeting = greeting + \"!\";")))
                .doesNotThrowAnyException();
    }

    @Test
    void aJavaIncludeMustNameACompiledSource() {
        String include = "<!-- include: " + EXCERPTS + "#inner -->";
        assertThatThrownBy(() -> CodeBlocksTest.check(block("java", include, "greeting = greeting + \"!\";")))
                .hasMessageContaining("compiled source");
    }

    @Test
    void yamlWithAnUnknownKeyOrAWrongTypeFailsAndValidYamlPasses() {
        assertThatThrownBy(() -> CodeBlocksTest.check(block("yaml", "", "dps-twin:\n  lifecycle:\n    paralelism: 4")))
                .hasMessageContaining("dps-twin.lifecycle.paralelism");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("yaml", "", "dps-twin:\n  lifecycle:\n    parallelism: many")))
                .hasMessageContaining("settings are invalid").hasMessageContaining("dps-twin.lifecycle.parallelism");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("yaml", "", "spring:\n  no-such-thing: 1")))
                .hasMessageContaining("spring.no-such-thing");
        assertThatCode(() -> CodeBlocksTest.check(block("yaml", "",
                "dps-twin:\n  lifecycle:\n    parallelism: 4\n    served-hubs: [hub-a]\n"
                        + "  allocation:\n    hub-selection:\n      policy: weighted\n      weights:\n        - a.azure-devices.net=2\n"
                        + "logging:\n  level:\n    io.dpstwin: DEBUG")))
                .doesNotThrowAnyException();
    }

    @Test
    void propertiesAreCheckedLikeYaml() {
        assertThatThrownBy(() -> CodeBlocksTest.check(block("properties", "", "dps-twin.webhook.kees=a")))
                .hasMessageContaining("dps-twin.webhook.kees");
        assertThatCode(() -> CodeBlocksTest.check(block("properties", "", "dps-twin.webhook.keys=a,b")))
                .doesNotThrowAnyException();
    }

    @Test
    void jsonMustBeStrict() {
        assertThatThrownBy(() -> CodeBlocksTest.check(block("json", "", "{\"a\": 1,}"))).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("json", "", "{\"a\": 1} {\"b\": 2}")))
                .hasMessageContaining("not JSON");
        assertThatCode(() -> CodeBlocksTest.check(block("json", "", "{\"a\": [1, 2]}"))).doesNotThrowAnyException();
    }

    @Test
    void xmlMustBeWellFormedAndNameOurArtifacts() {
        assertThatThrownBy(() -> CodeBlocksTest.check(block("xml", "", "<dependency><groupId>x</dependency>")))
                .hasMessageContaining("well-formed");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("xml", "",
                "<dependency><groupId>io.dpstwin</groupId><artifactId>dps-twin-nope</artifactId></dependency>")))
                .hasMessageContaining("artifacts this build makes");
        assertThatCode(() -> CodeBlocksTest.check(block("xml", "",
                "<dependency><groupId>io.dpstwin</groupId><artifactId>dps-twin-core</artifactId></dependency>")))
                .doesNotThrowAnyException();
    }

    @Test
    void shellMustParseAndNameKnownSettingsAndModules() {
        assertThatThrownBy(() -> CodeBlocksTest.check(block("bash", "", "az group create -n <rg>")))
                .hasMessageContaining("bash -n");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("bash", "", "export DPSTWIN_NO_SUCH=1")))
                .hasMessageContaining("DPSTWIN_NO_SUCH");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("bash", "", "java -jar app.jar --dps-twin.nope=1")))
                .hasMessageContaining("dps-twin.nope");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("bash", "", "./mvnw -pl no-such-module test")))
                .hasMessageContaining("-pl names a module");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("console", "", "$ echo 'unclosed\noutput")))
                .hasMessageContaining("bash -n");
        assertThatCode(() -> CodeBlocksTest.check(block("bash", "",
                "RG=my-rg\naz functionapp config appsettings set -g \"$RG\" --settings DPSTWIN_LIFECYCLE_PARALLELISM=16\n"
                        + "./mvnw -B -pl dps-twin-core test --dps-twin.lifecycle.parallelism=4")))
                .doesNotThrowAnyException();
    }

    @Test
    void aConfigurationNameInProseThatNothingDeclaresIsAFalseClaim() {
        List<String> planted = List.of(
                "Set `DPSTWIN_DEFAULT_MODEL` and `DPSTWIN_DEFAULT_MODLE` on Functions,",
                "or `dps-twin.lifecycle.parallelism` and `dps-twin.lifecycle.paralelism=4` on Spring.",
                "Every `DPSTWIN_RECONCILE_*` setting, every `DPSTWIN_NOPE_*` one, all of `dps-twin.allocation`.",
                "```bash",
                "echo `DPSTWIN_INSIDE_A_FENCE`",
                "```",
                "A typo such as `DPSTWIN_PARALELISM` is named on purpose.");

        List<String> problems = ProseNames.problems(dir.resolve("claims.md"), planted, FunctionsSettingNames.all(),
                SpringMetadata.load());

        assertThat(problems).extracting(p -> p.substring(p.lastIndexOf('/') + 1)).containsExactly(
                "claims.md:1: DPSTWIN_DEFAULT_MODLE is named in prose but no Functions setting of dps-twin has that name",
                "claims.md:2: dps-twin.lifecycle.paralelism is named in prose but no configuration property has that name",
                "claims.md:3: DPSTWIN_NOPE* is named in prose but no Functions setting of dps-twin has that name");
    }

    @Test
    void anUnknownFenceLanguageOrAMermaidBlockWithoutDiagramTypeFails() {
        assertThatThrownBy(() -> CodeBlocksTest.check(block("cobol", "", "DISPLAY 'HI'.")))
                .hasMessageContaining("language");
        assertThatThrownBy(() -> CodeBlocksTest.check(block("mermaid", "", "A->>B: hi")))
                .hasMessageContaining("Mermaid");
        assertThatCode(() -> CodeBlocksTest.check(block("mermaid", "", "sequenceDiagram\n  A->>B: hi")))
                .doesNotThrowAnyException();
    }

    @Test
    void headingsGetGitHubAnchors() {
        assertThat(LinksTest.slug("3. Why 10 writes per twin per second")).isEqualTo("3-why-10-writes-per-twin-per-second");
        assertThat(LinksTest.slug("5b. Or: retirement through `Event Grid`")).isEqualTo("5b-or-retirement-through-event-grid");
        assertThat(LinksTest.slug("See [the docs](x.md) now")).isEqualTo("see-the-docs-now");
    }

    @Test
    void anUnclosedFenceIsAnError() {
        assertThatThrownBy(() -> CodeBlock.parse(dir.resolve("x.md"), List.of("text", "```java", "int x;")))
                .hasMessageContaining("unclosed");
    }

    private CodeBlock block(String language, String marker, String body) {
        List<String> markdown = new java.util.ArrayList<>();
        markdown.add("Some prose.");
        markdown.add(marker);
        markdown.add("```" + language);
        markdown.addAll(body.lines().toList());
        markdown.add("```");
        List<CodeBlock> blocks = CodeBlock.parse(dir.resolve("example.md"), markdown);
        assertThat(blocks).hasSize(1);
        return blocks.get(0);
    }
}
