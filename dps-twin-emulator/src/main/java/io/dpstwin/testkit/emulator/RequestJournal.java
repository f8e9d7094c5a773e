package io.dpstwin.testkit.emulator;

import io.dpstwin.testkit.adt.AdtOperation;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The requests the emulator answered, newest last, for assertions such as "the flow made exactly one PUT of
 * this twin": {@code journal.count("PUT", "/digitaltwins/dev-1")}. Keeps the latest {@value #CAPACITY} entries.
 * Thread-safe.
 */
public final class RequestJournal {

    /** How many entries are kept. */
    public static final int CAPACITY = 10_000;

    /**
     * One answered request.
     *
     * @param timestamp when the answer was sent
     * @param method    the HTTP method
     * @param path      the raw (still percent-encoded) request path
     * @param query     the raw query string, or {@code null}
     * @param status    the status sent, or 0 when the connection was dropped without an answer
     * @param operation the ADT operation served, or {@code null} for requests that reached none
     */
    public record Entry(Instant timestamp, String method, String path, String query, int status,
                        AdtOperation operation) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized void record(Entry entry) {
        if (entries.size() >= CAPACITY) {
            entries.pollFirst();
        }
        entries.addLast(entry);
    }

    /** Every kept entry, oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The number of kept entries. */
    public synchronized int size() {
        return entries.size();
    }

    /** Entries matching {@code filter}. */
    public synchronized long count(Predicate<Entry> filter) {
        return entries.stream().filter(filter).count();
    }

    /**
     * Entries with {@code method} (case-insensitive; {@code null} for any) whose raw path matches the regular
     * expression {@code pathRegex} entirely.
     */
    public long count(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(Objects.requireNonNull(pathRegex, "pathRegex"));
        return count(e -> (method == null || method.equalsIgnoreCase(e.method()))
                && pattern.matcher(e.path()).matches());
    }

    /** Entries of {@code operation}. */
    public long count(AdtOperation operation) {
        return count(e -> e.operation() == operation);
    }

    /** Entries answered with {@code status}. */
    public long countStatus(int status) {
        return count(e -> e.status() == status);
    }

    /** Forgets every entry. */
    public synchronized void clear() {
        entries.clear();
    }
}
