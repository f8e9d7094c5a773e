package io.dpstwin.core.reconcile;

import java.util.Optional;

/**
 * A listing of one hub's devices in progress. It sends a page request when the devices it holds are used up and
 * the hub has more; it is not thread-safe and holds no resources that need closing.
 */
public interface DeviceCursor {

    /**
     * The next device, sending the next page request first when needed.
     *
     * @return empty once every device was returned
     * @throws DeviceInventoryException the page request failed; after a {@linkplain DeviceInventoryException#isTransient()
     *                                  transient} failure the cursor is unchanged, so calling again repeats the
     *                                  same page request
     */
    Optional<DeviceRecord> next();

    /** How many page requests this cursor has sent, failed ones included (for pacing to the hub's query quota). */
    int requestsSent();

    /**
     * Whether the hub has pages this cursor has not requested yet ({@code true} before the first request, {@code false}
     * once the last page arrived).
     */
    boolean hasMorePages();
}
