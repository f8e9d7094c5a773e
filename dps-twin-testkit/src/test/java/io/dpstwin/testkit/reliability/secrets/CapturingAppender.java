package io.dpstwin.testkit.reliability.secrets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.event.KeyValuePair;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A logback appender, attached to the root logger by {@code logback-test.xml}, that scans every log event of the
 * test JVM as it would be written (formatted message, key-value pairs, MDC and the rendered stack trace) for the
 * {@link Canaries}. It keeps counts and the leaks found (with the canary replaced by its name), not the events.
 * {@link LogCaptureReport} writes the result when the test plan ends; {@code LogSecretsVerdict} fails the build on it.
 */
public final class CapturingAppender extends AppenderBase<ILoggingEvent> {

    /** Events of this logger are the capture's self-test: they carry a canary on purpose and are not leaks. */
    public static final String PROBE_LOGGER = "dpstwin.log-capture.probe";

    private static final int MAX_LEAKS_KEPT = 100;
    private static final AtomicLong EVENTS = new AtomicLong();
    private static final AtomicLong DPSTWIN_TRACE_EVENTS = new AtomicLong();
    private static final AtomicInteger LEAK_COUNT = new AtomicInteger();
    private static final AtomicBoolean PROBE_SEEN = new AtomicBoolean();
    private static final ConcurrentLinkedQueue<Leak> LEAKS = new ConcurrentLinkedQueue<>();
    private static final List<Tap> TAPS = new CopyOnWriteArrayList<>();
    /**
     * Secrets nobody planted, in their usual clothes: an unmasked SAS signature, shared access or account key,
     * bearer token or function key (e.g. a token an SDK signed with a canary key). Masked values ({@code ***},
     * {@code REDACTED}) do not match.
     */
    private static final List<Pattern> SECRET_SHAPES = List.of(
            Pattern.compile("(?i)\\bsig=(?!\\*\\*\\*|REDACTED)[A-Za-z0-9%+/=_-]{16,}"),
            Pattern.compile("(?i)SharedAccessKey=(?!\\*\\*\\*|REDACTED)[A-Za-z0-9+/=]{16,}"),
            Pattern.compile("(?i)AccountKey=(?!\\*\\*\\*|REDACTED)[A-Za-z0-9+/=]{16,}"),
            Pattern.compile("(?i)\\bBearer\\s+(?!\\*\\*\\*|REDACTED)[A-Za-z0-9._~+/=-]{16,}"),
            Pattern.compile("(?i)[?&]code=(?!\\*\\*\\*|REDACTED)[A-Za-z0-9_%=-]{16,}"));

    /**
     * A log event that contained a canary.
     *
     * @param logger  the logger
     * @param level   its level
     * @param thread  the thread that logged it
     * @param canary  which canary (fragment) it contained
     * @param excerpt the event's text around the first secret, every secret replaced by {@code <canary>} or
     *                {@code <secret>}
     */
    public record Leak(String logger, String level, String thread, String canary, String excerpt) {
    }

    @Override
    protected void append(ILoggingEvent event) {
        String text = render(event);
        if (PROBE_LOGGER.equals(event.getLoggerName())) {
            if (Canaries.leakIn(text) != null) {
                PROBE_SEEN.set(true);
            }
            return;
        }
        EVENTS.incrementAndGet();
        if (event.getLoggerName().startsWith("io.dpstwin") && event.getLevel().toInt() <= Level.TRACE_INT) {
            DPSTWIN_TRACE_EVENTS.incrementAndGet();
        }
        TAPS.forEach(tap -> tap.add(event.getLoggerName() + " " + event.getLevel() + " " + text));
        String canary = Canaries.leakIn(text);
        if (canary == null) {
            canary = secretShapeIn(text);
        }
        if (canary != null) {
            LEAK_COUNT.incrementAndGet();
            if (LEAKS.size() < MAX_LEAKS_KEPT) {
                LEAKS.add(new Leak(event.getLoggerName(), event.getLevel().toString(), event.getThreadName(), canary,
                        mask(text)));
            }
        }
    }

    /** A description of the first unmasked secret-shaped value in {@code text}, or {@code null}. */
    public static String secretShapeIn(String text) {
        for (Pattern shape : SECRET_SHAPES) {
            if (shape.matcher(text).find()) {
                return "unmasked secret shaped like " + shape.pattern();
            }
        }
        return null;
    }

    /** Starts recording the rendered events (logger, level, text) until the tap is closed; at most 50,000. */
    public static Tap tap() {
        Tap tap = new Tap();
        TAPS.add(tap);
        return tap;
    }

    /** A recording of the events logged while it is open. */
    public static final class Tap implements AutoCloseable {
        private final List<String> lines = new ArrayList<>();

        synchronized void add(String line) {
            if (lines.size() < 50_000) {
                lines.add(line);
            }
        }

        /** The events so far, as {@code "<logger> <LEVEL> <text>"}. */
        public synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            TAPS.remove(this);
        }
    }

    /** The event as an appender with any layout could write it. */
    static String render(ILoggingEvent event) {
        StringBuilder text = new StringBuilder();
        text.append(event.getFormattedMessage());
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                text.append(' ').append(pair.key).append('=').append(pair.value);
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            text.append(' ').append(mdc);
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            text.append('\n').append(ThrowableProxyUtil.asString(thrown));
        }
        return text.toString();
    }

    /** The text around the first secret (so a leak shows where it sat), with every secret masked. */
    private static String mask(String text) {
        int at = -1;
        for (Canaries.Fragment fragment : Canaries.fragments()) {
            int index = text.indexOf(fragment.text());
            if (index >= 0 && (at < 0 || index < at)) {
                at = index;
            }
        }
        for (Pattern shape : SECRET_SHAPES) {
            java.util.regex.Matcher matcher = shape.matcher(text);
            if (matcher.find() && (at < 0 || matcher.start() < at)) {
                at = matcher.start();
            }
        }
        int from = Math.max(0, at - 300);
        String excerpt = text.substring(from, Math.min(text.length(), Math.max(at, 0) + 300));
        for (Canaries.Fragment fragment : Canaries.fragments()) {
            excerpt = excerpt.replace(fragment.text(), "<canary>");
        }
        for (Pattern shape : SECRET_SHAPES) {
            excerpt = shape.matcher(excerpt).replaceAll("<secret>");
        }
        return (from > 0 ? "..." : "") + excerpt + (from + excerpt.length() < text.length() ? "..." : "");
    }

    /** What the capture saw so far in this JVM. */
    public static Snapshot snapshot() {
        return new Snapshot(EVENTS.get(), DPSTWIN_TRACE_EVENTS.get(), PROBE_SEEN.get(), LEAK_COUNT.get(),
                new ArrayList<>(LEAKS));
    }

    /**
     * The capture's state.
     *
     * @param events             log events scanned (probe events excluded)
     * @param dpstwinTraceEvents TRACE events of {@code io.dpstwin} loggers among them (shows TRACE was on)
     * @param probeSeen          whether the self-test event carrying a canary reached the appender
     * @param leakCount          events that contained a canary
     * @param leaks              the first of them
     */
    public record Snapshot(long events, long dpstwinTraceEvents, boolean probeSeen, int leakCount, List<Leak> leaks) {
    }
}
