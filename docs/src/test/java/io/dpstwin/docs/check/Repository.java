package io.dpstwin.docs.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the repository is and which Markdown files are its documentation. */
public final class Repository {

    private Repository() {
    }

    /** The repository root: {@code -Ddpstwin.repository} (set by the module's pom) or the parent directory. */
    public static Path root() {
        String configured = System.getProperty("dpstwin.repository");
        Path root = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("README.md")) || !Files.isDirectory(root.resolve("docs"))) {
            throw new IllegalStateException("not the repository root (no README.md and docs/): " + root);
        }
        return root;
    }

    /** {@code true} when the run should rewrite the Markdown from the code ({@code -Ddocs.update=true}). */
    public static boolean updating() {
        return Boolean.parseBoolean(System.getProperty("docs.update", "false"));
    }

    /**
     * README.md, every {@code docs/*.md} and the samples' README.md files, in a stable order; {@code -Ddocs.only=testing.md,README.md} narrows the
     * checks to some files while one works on them.
     */
    public static List<Path> markdownFiles() {
        Path root = root();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        if (Files.isRegularFile(root.resolve("SECURITY.md"))) {
            files.add(root.resolve("SECURITY.md"));
        }
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> samples = Files.list(root.resolve("samples"))) {
            samples.map(dir -> dir.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String only = System.getProperty("docs.only", "");
        if (!only.isBlank()) {
            List<String> names = List.of(only.split(","));
            files.removeIf(f -> !names.contains(f.getFileName().toString()));
        }
        return files;
    }

    /** A path relative to the root, with forward slashes, for messages. */
    public static String relative(Path file) {
        return root().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
