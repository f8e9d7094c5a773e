package io.dpstwin.samples.simulator;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the simulator needs, read as the reference walkthrough's Node simulator reads it: the environment first, then a
 * {@code .env} file ({@code KEY = "value"} lines). The names are the reference's own:
 * <ul>
 *   <li>{@code PROVISIONING_HOST}: the DPS global endpoint, e.g. {@code global.azure-devices-provisioning.net}
 *       ({@code host:port} works over HTTPS);</li>
 *   <li>{@code PROVISIONING_IDSCOPE}: the DPS ID scope;</li>
 *   <li>{@code PROVISIONING_REGISTRATION_ID}: the device's registration id (with {@code --count N}, the prefix of
 *       {@code <id>-1 … <id>-N});</li>
 *   <li>{@code ADT_MODEL_ID}: the model id sent in the registration payload {@code {"modelId": …}};</li>
 *   <li>{@code PROVISIONING_SYMMETRIC_KEY}: the enrollment group's key (Base64); each device's key is derived from
 *       it for its registration id, as DPS does.</li>
 * </ul>
 *
 * @param provisioningHost where DPS is dialled
 * @param idScope          the DPS ID scope
 * @param registrationId   the registration id, or the fleet's prefix
 * @param modelId          the model id of the registration payload
 * @param groupKey         the enrollment group's symmetric key (Base64); never printed
 */
public record SimulatorSettings(String provisioningHost, String idScope, String registrationId, String modelId,
                                String groupKey) {

    /** The settings the simulator reads, in the order the reference's {@code .env.template} lists them. */
    public static final List<String> NAMES = List.of("PROVISIONING_HOST", "PROVISIONING_IDSCOPE",
            "PROVISIONING_REGISTRATION_ID", "ADT_MODEL_ID", "PROVISIONING_SYMMETRIC_KEY");

    /**
     * DPS registration ids: up to 128 alphanumeric characters or {@code - . _ :}, ending in an alphanumeric or
     * {@code -} (https://learn.microsoft.com/azure/iot-dps/concepts-service#registration-id).
     */
    private static final Pattern REGISTRATION_ID = Pattern.compile("[A-Za-z0-9\\-._:]{0,127}[A-Za-z0-9\\-]");
    /** DTMI as in https://github.com/Azure/opendigitaltwins-dtdl (segments and a version). */
    private static final Pattern DTMI = Pattern.compile(
            "dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z_](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*;[1-9][0-9]{0,8}");

    /**
     * @throws IllegalArgumentException naming every missing or malformed setting by its name in {@link #NAMES},
     *                                  without quoting the key
     */
    public SimulatorSettings {
        List<String> problems = problems(provisioningHost, idScope, registrationId, modelId, groupKey);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static List<String> problems(String... values) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            if (values[i] == null || values[i].isBlank()) {
                problems.add(NAMES.get(i) + " is not set");
            }
        }
        String registrationId = values[2];
        if (registrationId != null && !registrationId.isBlank() && !REGISTRATION_ID.matcher(registrationId).matches()) {
            problems.add("PROVISIONING_REGISTRATION_ID '" + registrationId + "' is not a DPS registration id (up to 128"
                    + " letters, digits or - . _ :, ending in a letter, digit or -)");
        }
        String modelId = values[3];
        if (modelId != null && !modelId.isBlank() && !DTMI.matcher(modelId).matches()) {
            problems.add("ADT_MODEL_ID '" + modelId + "' is not a DTMI such as dtmi:contosocom:DigitalTwins:Thermostat;1");
        }
        String key = values[4];
        if (key != null && !key.isBlank() && !isBase64(key)) {
            problems.add("PROVISIONING_SYMMETRIC_KEY is not Base64 (the enrollment group's primary or secondary key)");
        }
        return problems;
    }

    /**
     * Reads the settings from {@code environment}, then from {@code envFile} when it exists, and checks them.
     *
     * @throws IllegalArgumentException naming every missing or malformed setting, without quoting the key
     */
    public static SimulatorSettings read(Map<String, String> environment, Path envFile) {
        Map<String, String> values = new HashMap<>(dotEnv(envFile));
        environment.forEach((name, value) -> {
            if (NAMES.contains(name) && value != null && !value.isBlank()) {
                values.put(name, value);
            }
        });
        try {
            return new SimulatorSettings(trimmed(values, "PROVISIONING_HOST"), trimmed(values, "PROVISIONING_IDSCOPE"),
                    trimmed(values, "PROVISIONING_REGISTRATION_ID"), trimmed(values, "ADT_MODEL_ID"),
                    trimmed(values, "PROVISIONING_SYMMETRIC_KEY"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (set them in the environment or in " + envFile + ")",
                    e);
        }
    }

    private static String trimmed(Map<String, String> values, String name) {
        return values.getOrDefault(name, "").trim();
    }

    /** The registration id of fleet member {@code index} (1-based) of {@code count}; the id itself for one device. */
    public String registrationId(int index, int count) {
        return count == 1 ? registrationId : registrationId + "-" + index;
    }

    /** The registration payload the reference simulator sends. */
    public String payloadJson() {
        return "{\"modelId\":\"" + modelId + "\"}";
    }

    /** How long to wait between two messages of one device when none is given. */
    public static Duration defaultInterval() {
        return Duration.ofSeconds(5);
    }

    @Override
    public String toString() {
        return "SimulatorSettings[provisioningHost=" + provisioningHost + ", idScope=" + idScope + ", registrationId="
                + registrationId + ", modelId=" + modelId + ", groupKey=(hidden)]";
    }

    private static Map<String, String> dotEnv(Path envFile) {
        if (envFile == null || !Files.isRegularFile(envFile)) {
            return Map.of();
        }
        Path absolute = envFile.toAbsolutePath();
        Dotenv dotenv = Dotenv.configure()
                .directory(absolute.getParent().toString())
                .filename(absolute.getFileName().toString())
                .load();
        Map<String, String> values = new HashMap<>();
        for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
            values.put(entry.getKey().trim(), entry.getValue().trim());
        }
        return values;
    }

    private static boolean isBase64(String value) {
        try {
            return Base64.getDecoder().decode(value).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
