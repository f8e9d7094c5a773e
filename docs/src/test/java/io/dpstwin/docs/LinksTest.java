package io.dpstwin.docs;

import io.dpstwin.docs.check.CodeBlock;
import io.dpstwin.docs.check.Repository;
import org.junit.jupiter.api.DynamicTest;
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

    @TestFactory
    Stream<DynamicTest> everyRelativeLinkResolves() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : Repository.markdownFiles()) {
            List<String> prose = prose(file);
            for (int i = 0; i < prose.size(); i++) {
                Matcher link = LINK.matcher(prose.get(i).replaceAll("`[^`]*`", ""));
                while (link.find()) {
                    String target = link.group(1);
                    if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                        continue; // https:, mailto: ...
                    }
                    String where = Repository.relative(file) + ":" + (i + 1) + " -> " + target;
                    tests.add(DynamicTest.dynamicTest(where, () -> check(file, target, where)));
                }
            }
        }
        return tests.stream();
    }

    @org.junit.jupiter.api.Test
    void everyDocIsLinkedFromTheReadme() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("docs.only", "").isBlank(),
                "only some files are checked (-Ddocs.only)");
        Path readme = Repository.root().resolve("README.md");
        Set<Path> linked = new HashSet<>();
        for (String line : prose(readme)) {
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                String target = link.group(1).replaceFirst("#.*", "");
                if (!target.isEmpty() && !target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    linked.add(readme.getParent().resolve(target).normalize());
                }
            }
        }
        try (Stream<Path> docs = Files.list(Repository.root().resolve("docs"))) {
            assertThat(docs.filter(p -> p.toString().endsWith(".md")).map(Path::normalize).toList())
                    .as("docs/*.md files the README links to").allSatisfy(doc -> assertThat(linked).contains(doc));
        }
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
