package io.dpstwin.core.internal.support;

import java.util.Locale;

/**
 * Compares IoT hub names the way dps-twin does everywhere: case-insensitively, and accepting both the short name
 * that lifecycle events carry ({@code myhub}) and the host name DPS and the SDKs use
 * ({@code myhub.azure-devices.net}, or another cloud's suffix such as {@code myhub.azure-devices.cn}). Hub names are
 * DNS labels, unique within a cloud, so the first label identifies the hub.
 */
public final class HubNames {

    private HubNames() {
    }

    /**
     * The comparable form of a hub name or host name: the first DNS label, lower case, trimmed.
     *
     * @throws IllegalArgumentException for {@code null} or a blank name
     */
    public static String normalize(String hubNameOrHostName) {
        if (hubNameOrHostName == null || hubNameOrHostName.isBlank()) {
            throw new IllegalArgumentException("hub name is missing");
        }
        String trimmed = hubNameOrHostName.trim();
        int dot = trimmed.indexOf('.');
        String label = dot < 0 ? trimmed : trimmed.substring(0, dot);
        if (label.isEmpty()) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a hub name or host name");
        }
        return label.toLowerCase(Locale.ROOT);
    }

    /** Whether two hub names or host names denote the same hub; {@code false} when either is missing. */
    public static boolean sameHub(String a, String b) {
        if (a == null || b == null || a.isBlank() || b.isBlank()) {
            return false;
        }
        return normalize(a).equals(normalize(b));
    }
}
