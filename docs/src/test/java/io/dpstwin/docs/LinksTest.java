package io.dpstwin.docs;

import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.Repository;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of README.md, docs/*.md and the samples' README.md points at a file of the repository, and every {@code #anchor} at a
 * heading of its target (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered).
 */
class LinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

    /** A relative link of a Markdown file: its 0-based line and its target (path and/or {@code #anchor}). */
    record Link(int line, String target) {
    }

    @TestFactory
    Stream<DynamicTest> everyRelativeLinkResolves() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : Repository.markdownFiles()) {
            for (Link link : relativeLinks(file)) {
                String where = Repository.relative(file) + ":" + (link.line() + 1) + " -> " + link.target();
                tests.add(DynamicTest.dynamicTest(where, () -> check(file, link.target(), where)));
            }
        }
        return tests.stream();
    }

    @Test
    void everyDocIsLinkedFromTheReadme() throws Exception {
        Assumptions.assumeTrue(System.getProperty("docs.only", "").isBlank(),
                "only some files are checked (-Ddocs.only)");
        Path readme = Repository.root().resolve("README.md");
        Set<Path> linked = new HashSet<>();
        for (Link link : relativeLinks(readme)) {
            String path = link.target().replaceFirst("#.*", "");
            if (!path.isEmpty()) {
                linked.add(readme.getParent().resolve(path).normalize());
            }
        }
        try (Stream<Path> docs = Files.list(Repository.root().resolve("docs"))) {
            assertThat(docs.filter(p -> p.toString().endsWith(".md")).map(Path::normalize).toList())
                    .as("docs/*.md files the README links to").allSatisfy(doc -> assertThat(linked).contains(doc));
        }
    }

    /** The links of a file's prose (not in code blocks or inline code) that are not URLs ({@code https:}, ...). */
    static List<Link> relativeLinks(Path file) {
        List<Link> links = new ArrayList<>();
        List<String> prose = prose(file);
        for (int i = 0; i < prose.size(); i++) {
            Matcher link = LINK.matcher(prose.get(i).replaceAll("`[^`]*`", ""));
            while (link.find()) {
                if (!link.group(1).matches("^[a-z][a-z0-9+.-]*:.*")) {
                    links.add(new Link(i, link.group(1)));
                }
            }
        }
        return links;
    }

    static void check(Path file, String target, String where) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        assertThat(resolved.startsWith(Repository.root())).as("%s: stays inside the repository", where).isTrue();
        assertThat(Files.exists(resolved)).as("%s: the target exists", where).isTrue();
        if (hash >= 0) {
            assertThat(Files.isRegularFile(resolved) && resolved.toString().endsWith(".md"))
                    .as("%s: anchors only into Markdown files", where).isTrue();
            assertThat(anchors(resolved)).as("%s: the anchor names a heading", where)
                    .contains(target.substring(hash + 1));
        }
    }

    /** The anchors GitHub gives a Markdown file's headings, and explicit {@code <a id="...">} anchors. */
    static Set<String> anchors(Path file) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(file)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1));
            }
        }
        return anchors;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link's text only
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** The file's lines with code blocks blanked out (links and headings in code are not links or headings). */
    static List<String> prose(Path file) {
        List<String> lines = new ArrayList<>(Repository.read(file).lines().toList());
        for (CodeBlock block : CodeBlock.parse(file, List.copyOf(lines))) {
            for (int i = block.fenceLine(); i <= block.closeLine(); i++) {
                lines.set(i, "");
            }
        }
        return lines;
    }
}
