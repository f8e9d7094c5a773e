package io.dpstwin.samples.spring.local;

/**
 * One line of the demo's summary: what was done for which device, and the outcome the simulation expected next to
 * the one it saw.
 *
 * @param step     what was done, e.g. {@code register}, {@code delete (Event Grid)}, {@code check graph}
 * @param device   the device (registration id), or {@code -}
 * @param hub      the IoT hub involved, or {@code -}
 * @param twinId   the device's twin, or {@code -}
 * @param expected the expected outcome
 * @param actual   the outcome seen
 */
public record DemoStep(String step, String device, String hub, String twinId, String expected, String actual) {

    /** Whether the outcome seen is the one expected. */
    public boolean ok() {
        return expected.equals(actual);
    }
}
