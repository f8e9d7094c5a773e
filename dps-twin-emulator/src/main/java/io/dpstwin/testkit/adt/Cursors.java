package io.dpstwin.testkit.adt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.core.twins.AdtErrorCodes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Continuation tokens of paged lists and queries. The first page snapshots the whole result; later pages are
 * served from the snapshot, so writes between pages neither skip nor repeat items. Cursors are bounded (least
 * recently used dropped first) and expire after a while without use; an unknown or expired token is a 400
 * {@code BadRequest}. A token stays valid until it expires, so a retried page request gets the same page again.
 * Not thread-safe: the engine serialises access.
 */
final class Cursors {

    private record Cursor(String kind, List<ObjectNode> items, int offset, int pageSize, Instant lastUsed) {
    }

    private final int capacity;
    private final Duration expiry;
    private final Clock clock;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true);

    Cursors(int capacity, Duration expiry, Clock clock) {
        this.capacity = capacity;
        this.expiry = expiry;
        this.clock = clock;
    }

    /** The first page of {@code items}; stores a cursor when more pages follow. */
    Page first(String kind, List<ObjectNode> items, int pageSize) {
        return page(kind, items, 0, pageSize);
    }

    /**
     * The page a token continues.
     *
     * @param pageSize the page size of this request, or {@code null} to keep the first page's
     */
    Page next(String kind, String token, Integer pageSize) {
        evictExpired();
        Cursor cursor = token == null ? null : cursors.get(token);
        if (cursor == null || !cursor.kind().equals(kind)) {
            throw new AdtServiceException(400, AdtErrorCodes.BAD_REQUEST, "The continuation token is invalid or has "
                    + "expired; start the " + kind + " again without a continuation token.");
        }
        cursors.put(token, new Cursor(kind, cursor.items(), cursor.offset(), cursor.pageSize(), clock.instant()));
        return page(kind, cursor.items(), cursor.offset(), pageSize == null ? cursor.pageSize() : pageSize);
    }

    private Page page(String kind, List<ObjectNode> items, int offset, int pageSize) {
        int end = Math.min(items.size(), offset + pageSize);
        List<ObjectNode> page = new ArrayList<>(end - offset);
        // copies: callers may change what they get, the snapshot must stay as it was for a retried page
        items.subList(offset, end).forEach(item -> page.add(item.deepCopy()));
        if (end >= items.size()) {
            return new Page(page, null);
        }
        evictExpired();
        while (cursors.size() >= capacity) {
            Iterator<String> eldest = cursors.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        String token = UUID.randomUUID().toString();
        cursors.put(token, new Cursor(kind, items, end, pageSize, clock.instant()));
        return new Page(page, token);
    }

    private void evictExpired() {
        Instant oldest = clock.instant().minus(expiry);
        cursors.values().removeIf(cursor -> cursor.lastUsed().isBefore(oldest));
    }

    void clear() {
        cursors.clear();
    }

    int size() {
        return cursors.size();
    }
}
