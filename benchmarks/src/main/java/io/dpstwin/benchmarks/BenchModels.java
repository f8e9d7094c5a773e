package io.dpstwin.benchmarks;

import io.dpstwin.core.twins.AdtRateLimits;
import io.dpstwin.testkit.dps.DpsRequests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The data every benchmark shares: the DTDL of a thermostat and a room, the IoT hub devices are assigned to, and
 * realistic DPS allocation requests (built by the testkit) for numbered devices.
 */
public final class BenchModels {

    /** The device model: a {@code Temperature} property and a {@code locatedIn} relationship to a room. */
    public static final String THERMOSTAT = "dtmi:dpstwin:bench:Thermostat;1";
    /** The room model: a {@code contains} relationship to thermostats. */
    public static final String ROOM = "dtmi:dpstwin:bench:Room;1";
    /** The IoT hub's short name, as lifecycle events carry it. */
    public static final String HUB_NAME = "bench-hub-1";
    /** The IoT hub's host name, as DPS lists it in {@code linkedHubs}. */
    public static final String HUB = HUB_NAME + ".azure-devices.net";
    /** The enrollment group every benchmark device registers through. */
    public static final String ENROLLMENT_GROUP = "bench-thermostats";

    private static final String MODELS_RESOURCE = "models/bench-models.json";
    private static final String PLACEHOLDER = "bench-registration-placeholder";

    private BenchModels() {
    }

    /** The DTDL of both models, one JSON array. */
    public static String dtdl() {
        try (InputStream in = BenchModels.class.getClassLoader().getResourceAsStream(MODELS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + MODELS_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MODELS_RESOURCE, e);
        }
    }

    /** The device id (and registration id, and twin id) of device number {@code n}. */
    public static String deviceId(int n) {
        return String.format(Locale.ROOT, "dev-%06d", n);
    }

    /** The twin id of room number {@code n}. */
    public static String roomId(int n) {
        return String.format(Locale.ROOT, "room-%05d", n);
    }

    /** The allocation request DPS sends for a first registration of {@code registrationId}. */
    public static String allocationRequest(String registrationId) {
        return DpsRequests.group(ENROLLMENT_GROUP)
                .registrationId(registrationId)
                .linkedHubs(HUB)
                .modelId(THERMOSTAT)
                .toJson();
    }

    /**
     * An allocation request split around its registration id, so that a benchmark can make a request for a new
     * device with one string concatenation: {@code prefix + registrationId + suffix}.
     */
    public record RequestTemplate(String prefix, String suffix) {

        /** The request for {@code registrationId}. */
        public String forRegistration(String registrationId) {
            return prefix + registrationId + suffix;
        }
    }

    /**
     * Client-side limits so high that no call of a benchmark ever waits for a permit: the limiters still run (as in
     * every {@code DpsTwin} by default), so their own cost is measured, not their pacing.
     */
    public static AdtRateLimits limitsThatNeverWait() {
        int plenty = 100_000_000;
        return AdtRateLimits.builder()
                .perTwinWritesPerSecond(plenty)
                .createDeletesPerSecond(plenty)
                .patchesPerSecond(plenty)
                .readsPerSecond(plenty)
                .queriesPerSecond(plenty)
                .modelRequestsPerSecond(plenty)
                .build();
    }

    /** The template of {@link #allocationRequest(String)}. */
    public static RequestTemplate requestTemplate() {
        String json = allocationRequest(PLACEHOLDER);
        int at = json.indexOf(PLACEHOLDER);
        if (at < 0 || json.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalStateException("the registration id must appear exactly once in the request");
        }
        return new RequestTemplate(json.substring(0, at), json.substring(at + PLACEHOLDER.length()));
    }
}
