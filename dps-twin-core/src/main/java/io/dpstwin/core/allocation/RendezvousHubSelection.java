package io.dpstwin.core.allocation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Weighted rendezvous (highest-random-weight) hashing of the registration id over the linked hubs. For each hub,
 * {@code u} = the first 53 bits of SHA-256(lower-case hub + NUL + lower-case registration id) mapped into (0, 1)
 * and {@code score = -weight / ln(u)}; the highest score wins. With equal weights this is plain rendezvous hashing.
 * Registration ids are hashed in lower case because DPS treats them case-insensitively.
 */
final class RendezvousHubSelection implements HubSelectionPolicy {

    private static final double TWO_POW_53 = 0x1.0p53;

    /** Lower-case hub host name → weight. */
    private final Map<String, Double> weights;

    RendezvousHubSelection(Map<String, ? extends Number> weightsByHub) {
        Objects.requireNonNull(weightsByHub, "weightsByHub");
        Map<String, Double> copy = new LinkedHashMap<>();
        weightsByHub.forEach((hub, weight) -> {
            Objects.requireNonNull(hub, "hub");
            Objects.requireNonNull(weight, "weight of " + hub);
            double w = weight.doubleValue();
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight of hub " + hub + " must be a finite number >= 0: " + w);
            }
            copy.put(hub.toLowerCase(Locale.ROOT), w);
        });
        this.weights = Map.copyOf(copy);
    }

    @Override
    public String selectHub(AllocationRequest request) {
        String key = request.registrationId().toLowerCase(Locale.ROOT);
        boolean anyPositive = request.linkedHubs().stream().anyMatch(hub -> weightOf(hub) > 0);
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        String bestName = null;
        for (String hub : request.linkedHubs()) {
            String name = hub.toLowerCase(Locale.ROOT);
            double weight = anyPositive ? weightOf(hub) : 1.0;
            double score = weight == 0 ? 0 : -weight / Math.log(unitHash(name, key));
            if (best == null || score > bestScore || (score == bestScore && name.compareTo(bestName) < 0)) {
                best = hub;
                bestScore = score;
                bestName = name;
            }
        }
        return best;
    }

    private double weightOf(String hub) {
        return weights.getOrDefault(hub.toLowerCase(Locale.ROOT), 1.0);
    }

    /** A uniform value in the open interval (0, 1) derived from SHA-256 of hub and key. */
    static double unitHash(String hub, String key) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        sha256.update(hub.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        byte[] digest = sha256.digest(key.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        long top53 = bits >>> 11;
        return (top53 + 0.5) / TWO_POW_53;
    }

    @Override
    public String toString() {
        return weights.isEmpty() ? "consistentHashing" : "weighted" + weights;
    }
}
