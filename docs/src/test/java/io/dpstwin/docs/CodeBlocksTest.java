package io.dpstwin.docs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.FunctionsSettingNames;
import io.dpstwin.docs.check.Repository;
import io.dpstwin.docs.check.Snippets;
import io.dpstwin.docs.check.SpringMetadata;
import io.dpstwin.spring.autoconfigure.SpringSettingsSource;
import org.springframework.core.env.StandardEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fenced code block of README.md, docs/*.md and the samples' README.md is checked by what it is:
 * <ul>
 *   <li>{@code java}: must be an excerpt ({@code <!-- include: path#tag -->}) of a compiled source, and equal to it
 *       — the sources are this module's tests (or another module's), so every Java example compiles and runs;</li>
 *   <li>any block with an include marker: equal to its excerpt ({@code -Ddocs.update=true} rewrites them);</li>
 *   <li>{@code yaml}/{@code properties}: parsed, every key declared in Spring configuration metadata, and the
 *       {@code dps-twin.*} settings read and checked by the settings model;</li>
 *   <li>{@code json}: strict JSON; {@code xml}: well-formed, naming only artifacts this build makes;</li>
 *   <li>{@code bash}/{@code console}: {@code bash -n}, known {@code DPSTWIN_*} settings, existing Maven modules;</li>
 *   <li>{@code mermaid}: names a diagram type; anything else must be one of the known languages.</li>
 * </ul>
 */
class CodeBlocksTest {

    private static final Set<String> LANGUAGES = Set.of("", "text", "java", "yaml", "properties", "json", "xml",
            "bash", "console", "mermaid", "http");
    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();
    private static final Pattern DPSTWIN_SETTING = Pattern.compile("\\bDPSTWIN_[A-Z0-9_]+\\b");
    private static final Pattern SPRING_PROPERTY = Pattern.compile("(?<![\\w.]|[\\w.]-)(dps-twin\\.[a-z0-9.\\[\\]-]*[a-z0-9\\]])");
    private static final Pattern MAVEN_PROJECTS = Pattern.compile("\\s-pl\\s+(\\S+)");

    @BeforeAll
    static void updateWhenAsked() {
        if (Repository.updating()) {
            Snippets.update().forEach(f -> System.out.println("docs.update rewrote " + Repository.relative(f)));
        }
    }

    @Test
    void theDocumentationHasCodeBlocksToCheck() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("docs.only", "").isBlank(),
                "only some files are checked (-Ddocs.only)");
        assertThat(CodeBlock.all()).extracting(CodeBlock::language).contains("java", "yaml", "json", "bash");
    }

    @TestFactory
    Stream<DynamicTest> everyCodeBlock() {
        return CodeBlock.all().stream().map(block -> DynamicTest.dynamicTest(block.where(), () -> check(block)));
    }

    static void check(CodeBlock block) throws Exception {
        assertThat(LANGUAGES).as("%s: code fence language (one of %s)", block.where(), LANGUAGES)
                .contains(block.language());
        if (block.include().isPresent()) {
            String include = block.include().get();
            List<String> excerpt;
            try {
                excerpt = Snippets.excerpt(include);
            } catch (IllegalArgumentException e) {
                throw new AssertionError(block.where() + ": " + e.getMessage(), e);
            }
            assertThat(block.text())
                    .as("%s is an excerpt of %s; run ./mvnw -pl docs -am test -Ddocs.update=true to copy it again",
                            block.where(), include)
                    .isEqualTo(excerpt.isEmpty() ? "" : String.join("\n", excerpt) + "\n");
        }
        switch (block.language()) {
            case "java" -> assertThat(block.include().filter(Snippets::isCompiledJava))
                    .as("%s: a Java example must be an excerpt of a compiled source: put it in a test (for example"
                            + " under docs/src/test/java) between // tag::name[] and // end::name[] and mark the"
                            + " block with <!-- include: path#name -->", block.where())
                    .isPresent();
            case "yaml" -> checkSpringConfiguration(block, new YamlPropertySourceLoader());
            case "properties" -> checkSpringConfiguration(block, new PropertiesPropertySourceLoader());
            case "json" -> checkJson(block);
            case "xml" -> checkXml(block);
            case "bash" -> checkShell(block, block.lines());
            case "console" -> checkShell(block, block.lines().stream().filter(l -> l.startsWith("$ "))
                    .map(l -> l.substring(2)).toList());
            case "mermaid" -> assertThat(block.lines().stream().filter(l -> !l.isBlank()).findFirst().orElse(""))
                    .as("%s: a Mermaid diagram starts with its type", block.where())
                    .matches("\\s*(sequenceDiagram|flowchart \\w+|graph \\w+|stateDiagram(-v2)?|classDiagram)\\s*");
            default -> {
                // text, output and HTTP exchanges are prose
            }
        }
    }

    static void checkSpringConfiguration(CodeBlock block, org.springframework.boot.env.PropertySourceLoader loader)
            throws IOException {
        List<PropertySource<?>> sources = loader.load(block.where(),
                new ByteArrayResource(block.text().getBytes(StandardCharsets.UTF_8)));
        assertThat(sources).as("%s holds no properties", block.where()).isNotEmpty();
        SpringMetadata metadata = SpringMetadata.load();
        for (PropertySource<?> source : sources) {
            for (String key : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                assertThat(metadata.declares(key))
                        .as("%s: %s is not a property of dps-twin, Spring Boot or the actuator", block.where(), key)
                        .isTrue();
            }
        }
        StandardEnvironment environment = new StandardEnvironment();
        sources.forEach(environment.getPropertySources()::addFirst);
        try {
            SpringSettingsSource.read(environment);
        } catch (RuntimeException e) {
            throw new AssertionError(block.where() + ": the dps-twin settings are invalid: " + rootMessage(e), e);
        }
    }

    static void checkJson(CodeBlock block) {
        try {
            STRICT_JSON.readTree(block.text());
        } catch (IOException e) {
            throw new AssertionError(block.where() + ": not JSON: " + e.getMessage());
        }
    }

    static void checkXml(CodeBlock block) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml;
        try {
            xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                    ("<snippet>" + block.text().replaceFirst("^<\\?xml[^>]*>", "") + "</snippet>")
                            .getBytes(StandardCharsets.UTF_8)));
        } catch (org.xml.sax.SAXException e) {
            throw new AssertionError(block.where() + ": not well-formed XML: " + e.getMessage());
        }
        Set<String> ours = reactorArtifacts();
        NodeList groups = xml.getElementsByTagName("groupId");
        for (int i = 0; i < groups.getLength(); i++) {
            if (!"io.dpstwin".equals(groups.item(i).getTextContent().strip())) {
                continue;
            }
            Element parent = (Element) groups.item(i).getParentNode();
            NodeList artifact = parent.getElementsByTagName("artifactId");
            if (artifact.getLength() > 0) {
                assertThat(ours).as("%s: io.dpstwin artifacts this build makes", block.where())
                        .contains(artifact.item(0).getTextContent().strip());
            }
            NodeList version = parent.getElementsByTagName("version");
            if (version.getLength() > 0) {
                assertThat(version.item(0).getTextContent().strip()).as("%s: our version", block.where())
                        .isEqualTo(projectVersion());
            }
        }
    }

    static void checkShell(CodeBlock block, List<String> commands) throws Exception {
        String script = String.join("\n", commands) + "\n";
        Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        bash.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as("%s: bash -n says %s", block.where(), output).isZero();

        Set<String> known = FunctionsSettingNames.all();
        Matcher setting = DPSTWIN_SETTING.matcher(script);
        while (setting.find()) {
            assertThat(known).as("%s: a setting dps-twin reads", block.where()).contains(setting.group());
        }
        SpringMetadata metadata = SpringMetadata.load();
        Matcher property = SPRING_PROPERTY.matcher(script);
        while (property.find()) {
            String name = property.group(1);
            if (!name.endsWith(".jar") && !name.contains("azure-devices")) {
                assertThat(metadata.declares(name)).as("%s: %s is a dps-twin property", block.where(), name).isTrue();
            }
        }
        Matcher projects = MAVEN_PROJECTS.matcher(script);
        while (projects.find()) {
            for (String module : projects.group(1).split(",")) {
                assertThat(Repository.root().resolve(module).resolve("pom.xml"))
                        .as("%s: -pl names a module of this build", block.where()).isRegularFile();
            }
        }
    }


    static Set<String> reactorArtifacts() throws Exception {
        Set<String> artifacts = new TreeSet<>();
        Document parent = pom(Repository.root().resolve("pom.xml"));
        artifacts.add(directChild(parent.getDocumentElement(), "artifactId"));
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            Path pom = Repository.root().resolve(modules.item(i).getTextContent().strip()).resolve("pom.xml");
            artifacts.add(directChild(pom(pom).getDocumentElement(), "artifactId"));
        }
        return artifacts;
    }

    static String projectVersion() throws Exception {
        return directChild(pom(Repository.root().resolve("pom.xml")).getDocumentElement(), "version");
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(file));
    }

    private static String directChild(Element element, String name) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().strip();
            }
        }
        throw new IllegalStateException("no <" + name + "> in <" + element.getTagName() + ">");
    }

    private static String rootMessage(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.add(t.getMessage());
        }
        return String.join(" <- ", messages);
    }
}
