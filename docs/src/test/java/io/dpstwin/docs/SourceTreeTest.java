package io.dpstwin.docs;

import io.dpstwin.docs.check.Repository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the production sources of every module say about the repository holds: each Markdown file their Javadoc or
 * comments name is a file of this repository (a note that points elsewhere, e.g. to research notes that were never
 * part of it, is a dead end for a reader), and each package has a {@code package-info.java} that says what it holds.
 */
class SourceTreeTest {

    /** A Markdown file named by a relative path or a bare name; a URL's path does not start a match. */
    private static final Pattern MARKDOWN_FILE = Pattern.compile("(?<![\\w./:-])((?:[\\w.-]+/)*[\\w-]+\\.md)\\b");

    @Test
    void everyMarkdownFileTheSourcesNameIsAFileOfTheRepository() throws IOException {
        Path root = Repository.root();
        List<String> problems = new ArrayList<>();
        List<Path> sources = javaFiles(root);
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher name = MARKDOWN_FILE.matcher(lines.get(i));
                while (name.find()) {
                    String file = name.group(1);
                    if (!Files.isRegularFile(root.resolve(file)) && !Files.isRegularFile(root.resolve("docs").resolve(file))) {
                        problems.add(root.relativize(source) + ":" + (i + 1) + ": " + file
                                + " is not a file of this repository");
                    }
                }
            }
        }
        assertThat(sources).hasSizeGreaterThan(100);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        Path root = Repository.root();
        List<String> missing = javaFiles(root).stream()
                .map(Path::getParent)
                .distinct()
                .filter(dir -> !Files.isRegularFile(dir.resolve("package-info.java")))
                .map(dir -> root.relativize(dir).toString())
                .sorted()
                .toList();
        assertThat(missing).isEmpty();
    }

    /** The production Java sources of every module and sample. */
    private static List<Path> javaFiles(Path root) throws IOException {
        List<Path> sourceRoots = new ArrayList<>();
        for (Path parent : List.of(root, root.resolve("samples"))) {
            try (Stream<Path> modules = Files.list(parent)) {
                modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).forEach(sourceRoots::add);
            }
        }
        List<Path> files = new ArrayList<>();
        for (Path sourceRoot : sourceRoots) {
            try (Stream<Path> walk = Files.walk(sourceRoot)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".java")).sorted().forEach(files::add);
            }
        }
        return files;
    }
}
