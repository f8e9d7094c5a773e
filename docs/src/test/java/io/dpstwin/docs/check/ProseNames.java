package io.dpstwin.docs.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration names that Markdown prose puts in inline code ({@code `DPSTWIN_DEFAULT_MODEL`},
 * {@code `dps-twin.lifecycle.parallelism`}) outside fenced blocks, checked against the same sources as the code-block
 * checks: the Functions settings ({@link FunctionsSettingNames}) and the Spring configuration metadata
 * ({@link SpringMetadata}). A name in prose that no source declares is a false claim: a user would set it and nothing
 * would happen.
 *
 * <p>A name followed by {@code *} or {@code _*} ({@code DPSTWIN_RECONCILE_*}, {@code dps-twin.lifecycle.*}) names a
 * group: some declared name must start with it. A Spring name may also name a group by itself
 * ({@code dps-twin.allocation}) when some declared property lies under it. A line that speaks of a typo, or follows
 * one that does, names a wrong name on purpose and is not checked.
 */
public final class ProseNames {

    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+).*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern SETTING = Pattern.compile("\\bDPSTWIN_[A-Z0-9]+(?:_[A-Z0-9]+)*");
    private static final Pattern PROPERTY = Pattern.compile(
            "(?<![\\w.-])dps-twin\\.[a-z0-9-]+(?:\\.[a-z0-9-]+|\\[[^\\]]*\\])*");

    private ProseNames() {
    }

    /**
     * The problems of one Markdown text, each as {@code file:line: message}.
     *
     * @param settings the Functions setting names
     * @param metadata the declared Spring properties
     */
    public static List<String> problems(Path file, List<String> markdown, Set<String> settings,
                                        SpringMetadata metadata) {
        List<String> problems = new ArrayList<>();
        String openFence = null;
        for (int i = 0; i < markdown.size(); i++) {
            String line = markdown.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                String marker = fence.group(1);
                if (openFence == null) {
                    openFence = marker;
                } else if (marker.charAt(0) == openFence.charAt(0) && marker.length() >= openFence.length()) {
                    openFence = null;
                }
                continue;
            }
            if (openFence != null || speaksOfATypo(line) || i > 0 && speaksOfATypo(markdown.get(i - 1))) {
                continue;
            }
            Matcher span = CODE_SPAN.matcher(line);
            while (span.find()) {
                String code = span.group(1);
                String where = Repository.relative(file) + ":" + (i + 1) + ": ";
                Matcher setting = SETTING.matcher(code);
                while (setting.find()) {
                    String name = setting.group();
                    boolean group = followedByWildcard(code, setting.end());
                    boolean known = group ? settings.stream().anyMatch(s -> s.startsWith(name))
                            : settings.contains(name);
                    if (!known) {
                        problems.add(where + name + (group ? "*" : "")
                                + " is named in prose but no Functions setting of dps-twin has that name");
                    }
                }
                Matcher property = PROPERTY.matcher(code);
                while (property.find()) {
                    String name = property.group();
                    if (!declared(name, metadata)) {
                        problems.add(where + name + " is named in prose but no configuration property has that name");
                    }
                }
            }
        }
        return problems;
    }

    private static boolean speaksOfATypo(String line) {
        return line.toLowerCase(Locale.ROOT).contains("typo");
    }

    private static boolean followedByWildcard(String code, int end) {
        return code.startsWith("*", end) || code.startsWith("_*", end);
    }

    private static boolean declared(String name, SpringMetadata metadata) {
        if (metadata.declares(name)) {
            return true;
        }
        String prefix = name + ".";
        return metadata.properties().keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }
}
