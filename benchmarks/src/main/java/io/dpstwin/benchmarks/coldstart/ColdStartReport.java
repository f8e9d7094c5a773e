package io.dpstwin.benchmarks.coldstart;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The cold-start section of the Markdown report. */
public final class ColdStartReport {

    private ColdStartReport() {
    }

    /**
     * Prints the section.
     *
     * @return {@code cold_start_ratio}
     */
    public static double print(ColdStartResult r, PrintStream out) {
        out.println("### Cold start: a fresh JVM's first allocation, dps-twin (Functions adapter) vs the bare SDK");
        out.println();
        out.println(r.pairs() + " pairs of processes, alternating, against the HTTPS emulator (no latency)"
                + (r.cds() ? "; each side with an AppCDS archive of its own" : "")
                + (r.jvmArgs().isEmpty() ? "" : "; JVM options " + String.join(" ", r.jvmArgs())) + ".");
        out.println();
        out.println("| start | launch to answer ms | in main: build ms | in main: first call ms | CPU ms (all "
                + "threads) |");
        out.println("|---|---:|---:|---:|---:|");
        out.println("| dps-twin: DpsTwinFunctions.allocation(), lazy DpsTwin from app settings | "
                + ColdStart.ms(r.libraryMs()) + " | " + ColdStart.ms(r.libraryBuildMs()) + " | "
                + ColdStart.ms(r.libraryCallMs()) + " | " + ColdStart.ms(r.libraryCpuMs()) + " |");
        out.println("| bare SDK: DigitalTwinsClient, GET 404, PUT If-None-Match | " + ColdStart.ms(r.sdkMs())
                + " | " + ColdStart.ms(r.sdkBuildMs()) + " | " + ColdStart.ms(r.sdkCallMs()) + " | "
                + ColdStart.ms(r.sdkCpuMs()) + " |");
        out.println();
        out.println("Medians. CPU ratio " + String.format(Locale.ROOT, "%.3f", r.libraryCpuMs() / r.sdkCpuMs())
                + " (CPU time does not grow when other processes compete for the CPUs).");
        out.println();
        out.println(String.format(Locale.ROOT, "cold_start_ratio %.3f (median over median); pair by pair %.3f "
                        + "(median), %.3f–%.3f; %d failures%s", r.ratio(), r.pairRatioMedian(), r.pairRatioMin(),
                r.pairRatioMax(), r.failures(), r.firstProblem() == null ? "." : ", first: " + r.firstProblem()));
        out.println();
        out.println("Classes loaded by one start (-Xlog:class+load), by library:");
        out.println();
        out.println("| classes | dps-twin | bare SDK | difference |");
        out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, Integer> row : r.libraryClasses().entrySet()) {
            int sdk = r.sdkClasses().getOrDefault(row.getKey(), 0);
            out.println("| " + row.getKey() + " | " + row.getValue() + " | " + sdk + " | "
                    + String.format(Locale.ROOT, "%+d", row.getValue() - sdk) + " |");
        }
        out.println();
        return r.ratio();
    }
}
