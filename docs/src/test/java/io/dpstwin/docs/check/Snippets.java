package io.dpstwin.docs.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Excerpts of source files, named in Markdown as {@code <!-- include: path/in/repository#tag -->} right before a
 * code fence. In the source the excerpt sits between {@code tag::name[]} and {@code end::name[]} markers, in
 * whatever comment the language has ({@code // tag::quick-start[]}, {@code # tag::quick-start[]}). Without
 * {@code #tag} the whole file is the excerpt. Marker lines of other tags inside an excerpt are left out, and the
 * excerpt is shifted left by its common indentation.
 */
public final class Snippets {

    private Snippets() {
    }

    /**
     * Where an include's excerpt sits: the file, and the 1-based first and last line between its markers (the whole
     * file without {@code #tag}).
     */
    public record Region(Path file, int firstLine, int lastLine) {
    }

    /** The region an include names, or an exception saying why it cannot be found. */
    public static Region region(String include) {
        int hash = include.indexOf('#');
        String path = hash < 0 ? include : include.substring(0, hash);
        Path file = Repository.root().resolve(path).normalize();
        if (!file.startsWith(Repository.root()) || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("include names no file of the repository: " + path);
        }
        List<String> lines = Repository.read(file).lines().toList();
        if (hash < 0) {
            return new Region(file, 1, lines.size());
        }
        String tag = include.substring(hash + 1);
        String start = "tag::" + tag + "[]";
        String end = "end::" + tag + "[]";
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains(start)) {
                if (from >= 0) {
                    throw new IllegalArgumentException(path + ": tag " + tag + " opens twice");
                }
                from = i;
            } else if (from >= 0 && line.contains(end)) {
                return new Region(file, from + 2, i);      // the lines after the start marker, before the end one
            }
        }
        throw new IllegalArgumentException(path + ": no region tag::" + tag + "[] ... end::" + tag + "[]");
    }

    /** The excerpt an include names, or an exception saying why it cannot be read. */
    public static List<String> excerpt(String include) {
        Region region = region(include);
        List<String> lines = Repository.read(region.file()).lines().toList();
        List<String> excerpt = new ArrayList<>();
        for (String line : lines.subList(region.firstLine() - 1, region.lastLine())) {
            if (!line.contains("tag::") && !line.contains("end::")) {
                excerpt.add(line);
            }
        }
        return dedent(trimBlankEnds(excerpt));
    }

    /** {@code true} when the include names a Java source that Maven compiles (a module's src/main or src/test). */
    public static boolean isCompiledJava(String include) {
        String path = include.contains("#") ? include.substring(0, include.indexOf('#')) : include;
        return path.endsWith(".java") && (path.contains("src/test/java/") || path.contains("src/main/java/"));
    }

    /**
     * Rewrites every block with an include marker from its excerpt; returns the files changed. Blocks whose
     * include cannot be read are left as they are (the check reports them).
     */
    public static List<Path> update() {
        Map<Path, List<CodeBlock>> byFile = new LinkedHashMap<>();
        for (CodeBlock block : CodeBlock.all()) {
            if (block.include().isPresent()) {
                byFile.computeIfAbsent(block.file(), f -> new ArrayList<>()).add(block);
            }
        }
        List<Path> changed = new ArrayList<>();
        byFile.forEach((file, blocks) -> {
            String original = Repository.read(file);
            List<String> lines = new ArrayList<>(original.lines().toList());
            blocks.sort(Comparator.comparingInt(CodeBlock::fenceLine).reversed());
            for (CodeBlock block : blocks) {
                List<String> excerpt;
                try {
                    excerpt = excerpt(block.include().orElseThrow());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                List<String> replacement = excerpt.stream()
                        .map(line -> line.isEmpty() ? "" : block.indent() + line).toList();
                lines.subList(block.fenceLine() + 1, block.closeLine()).clear();
                lines.addAll(block.fenceLine() + 1, replacement);
            }
            String updated = String.join("\n", lines) + (original.endsWith("\n") ? "\n" : "");
            if (!updated.equals(original)) {
                Repository.write(file, updated);
                changed.add(file);
            }
        });
        return changed;
    }

    static List<String> trimBlankEnds(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return lines.subList(from, to);
    }

    static List<String> dedent(List<String> lines) {
        int common = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(common)).toList();
    }
}
