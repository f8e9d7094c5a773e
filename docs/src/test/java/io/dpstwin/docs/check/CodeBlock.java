package io.dpstwin.docs.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced code block of a Markdown file: its language, its text (without the fence's indentation) and the
 * {@code <!-- include: path#tag -->} marker on the line right before its opening fence, if any.
 *
 * @param file      the Markdown file
 * @param fenceLine the 0-based line index of the opening fence
 * @param closeLine the 0-based line index of the closing fence
 * @param indent    the opening fence's indentation (list items indent their blocks)
 * @param language  the info string's first word, lower case; empty for a bare fence
 * @param lines     the block's lines, the fence's indentation removed
 * @param include   the source the block is an excerpt of, if marked
 */
public record CodeBlock(Path file, int fenceLine, int closeLine, String indent, String language, List<String> lines,
                        Optional<String> include) {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+|~~~+)\\s*([A-Za-z0-9_+-]*)\\s*.*$");
    private static final Pattern INCLUDE = Pattern.compile("^\\s*<!--\\s*include:\\s*(\\S+)\\s*-->\\s*$");

    /** The block's text, lines joined with {@code \n}, with a final newline when it has lines. */
    public String text() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /** {@code README.md:12 (yaml)}: where the block starts, 1-based, for test names and messages. */
    public String where() {
        return Repository.relative(file) + ":" + (fenceLine + 1) + " (" + (language.isEmpty() ? "text" : language)
                + ")";
    }

    /** The fenced blocks of one Markdown text. An unclosed fence is an error: it would swallow the rest. */
    public static List<CodeBlock> parse(Path file, List<String> markdown) {
        List<CodeBlock> blocks = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            Matcher open = FENCE.matcher(markdown.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            String fence = open.group(2);
            String language = open.group(3).toLowerCase(java.util.Locale.ROOT);
            int close = -1;
            for (int j = i + 1; j < markdown.size(); j++) {
                String candidate = markdown.get(j);
                String trimmed = candidate.strip();
                if (trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == fence.charAt(0))) {
                    close = j;
                    break;
                }
            }
            if (close < 0) {
                throw new IllegalStateException(Repository.relative(file) + ":" + (i + 1) + ": unclosed code fence");
            }
            List<String> lines = new ArrayList<>();
            for (int j = i + 1; j < close; j++) {
                String line = markdown.get(j);
                lines.add(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading());
            }
            Optional<String> include = Optional.empty();
            if (i > 0) {
                Matcher marker = INCLUDE.matcher(markdown.get(i - 1));
                if (marker.matches()) {
                    include = Optional.of(marker.group(1));
                }
            }
            blocks.add(new CodeBlock(file, i, close, indent, language, List.copyOf(lines), include));
            i = close;
        }
        return blocks;
    }

    /** Every fenced block of README.md and docs/*.md. */
    public static List<CodeBlock> all() {
        List<CodeBlock> all = new ArrayList<>();
        for (Path file : Repository.markdownFiles()) {
            all.addAll(parse(file, Repository.read(file).lines().toList()));
        }
        return all;
    }
}
