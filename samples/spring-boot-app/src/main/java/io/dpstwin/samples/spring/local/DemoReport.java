package io.dpstwin.samples.spring.local;

import java.util.ArrayList;
import java.util.List;

/** The demo's summary: a table of every step, expected next to actual, and the verdict. */
public final class DemoReport {

    private static final String[] HEADERS = {"step", "device", "hub", "twin id", "expected", "actual", ""};

    private final List<DemoStep> steps;

    public DemoReport(List<DemoStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<DemoStep> steps() {
        return steps;
    }

    /** The steps whose outcome differs from the expected one. */
    public List<DemoStep> mismatches() {
        return steps.stream().filter(step -> !step.ok()).toList();
    }

    /** 0 when every outcome matched, 1 otherwise. */
    public int exitCode() {
        return mismatches().isEmpty() ? 0 : 1;
    }

    /** The table, one row per step, followed by the verdict line. */
    public String render() {
        List<String[]> rows = new ArrayList<>();
        for (DemoStep step : steps) {
            rows.add(new String[] {step.step(), step.device(), step.hub(), step.twinId(), step.expected(),
                step.actual(), step.ok() ? "ok" : "MISMATCH"});
        }
        int[] widths = new int[HEADERS.length];
        for (int c = 0; c < HEADERS.length; c++) {
            widths[c] = HEADERS[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADERS, widths);
        String[] rule = new String[HEADERS.length];
        for (int c = 0; c < HEADERS.length; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        line(out, rule, widths);
        rows.forEach(row -> line(out, row, widths));
        List<DemoStep> mismatches = mismatches();
        out.append(System.lineSeparator())
                .append(mismatches.isEmpty()
                        ? "RESULT: all " + steps.size() + " outcomes as expected"
                        : "RESULT: " + mismatches.size() + " of " + steps.size() + " outcomes differ from the expected")
                .append(System.lineSeparator());
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            out.append(c == 0 ? "" : " | ").append(cells[c]).append(" ".repeat(widths[c] - cells[c].length()));
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append(System.lineSeparator());
    }
}
