package io.dpstwin.testkit.emulator;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/** What the emulators' command-line entry points share: reading an option's value and running until shut down. */
final class CommandLine {

    private CommandLine() {
    }

    /** The value after the option at {@code index - 1}, or a refusal naming the option. */
    static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /**
     * Closes {@code running} when the JVM shuts down, then prints {@code ready} lines to {@code out} and blocks until
     * the shutdown.
     *
     * @return -1: only an interrupted wait returns
     */
    static int serveUntilShutdown(AutoCloseable running, String threadName, PrintStream out, String... ready) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                out.println("error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, threadName));
        for (String line : ready) {
            out.println(line);
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }
}
