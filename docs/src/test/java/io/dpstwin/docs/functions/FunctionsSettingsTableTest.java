package io.dpstwin.docs.functions;

import io.dpstwin.docs.check.FunctionsSettingNames;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.functions.FunctionsSettingsException;
import io.dpstwin.core.reconcile.ReconcileOptions;
import io.dpstwin.core.twins.AdtRateLimits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The settings table of docs/functions.md names every app setting {@link FunctionsSettings} knows, and each default
 * written as a value ({@code `16`}) is the one the settings really have when the setting is not set; the settings
 * error shown is the one the settings throw.
 */
class FunctionsSettingsTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]*) \\|");
    private static final Pattern LITERAL = Pattern.compile("^`([^`]+)`$");

    @Test
    void theTableNamesEverySettingAndNoOther() throws Exception {
        assertThat(table().keySet()).containsExactlyInAnyOrderElementsOf(FunctionsSettingNames.all());
    }

    @Test
    void everyDefaultGivenAsAValueIsTheDefaultOfTheCode() throws Exception {
        Map<String, String> documented = new TreeMap<>();
        table().forEach((name, cell) -> {
            Matcher literal = LITERAL.matcher(cell.strip());
            if (literal.matches()) {
                documented.put(name, literal.group(1));
            }
        });

        assertThat(documented).isEqualTo(actualDefaults());
    }

    @Test
    void theSettingsErrorShownIsTheOneTheSettingsThrow() throws Exception {
        String shown = firstBlockAfter("### Errors in settings");

        FunctionsSettingsException thrown = catchThrowableOfType(FunctionsSettingsException.class,
                () -> FunctionsSettings.from(Map.of(FunctionsSettings.PARALLELISM, "eight")));

        assertThat(thrown.getMessage()).isEqualToNormalizingWhitespace(shown);
    }

    /** What the settings are when only the required one is set. */
    private static Map<String, String> actualDefaults() {
        FunctionsSettings settings = FunctionsSettings.from(Map.of(FunctionsSettings.ADT_SERVICE_URL,
                "https://my-instance.api.weu.digitaltwins.azure.net"));
        ReconcileOptions reconcile = settings.reconcileOptions(null);
        AdtRateLimits limits = settings.rateLimits().orElseThrow();
        Map<String, String> defaults = new TreeMap<>();
        defaults.put(FunctionsSettings.CREDENTIAL, choice(settings.credential()));
        defaults.put(FunctionsSettings.HUB_SELECTION, choice(settings.hubSelection()));
        defaults.put(FunctionsSettings.HUB_STICKY, String.valueOf(settings.hubSticky()));
        defaults.put(FunctionsSettings.MODEL_MISMATCH, choice(settings.modelMismatch()));
        defaults.put(FunctionsSettings.PLACEMENT_RELATIONSHIP, settings.placementRelationship());
        defaults.put(FunctionsSettings.PLACEMENT_MISSING_PARENT, choice(settings.placementMissingParent()));
        defaults.put(FunctionsSettings.PAYLOAD_TWIN_ID, String.valueOf(settings.payloadTwinId()));
        defaults.put(FunctionsSettings.MERGE_ENROLLMENT_INITIAL_TWIN,
                String.valueOf(settings.mergeEnrollmentInitialTwin()));
        defaults.put(FunctionsSettings.ACCEPT_UPPERCASE_REGISTRATION_IDS,
                String.valueOf(settings.acceptUppercaseRegistrationIds()));
        defaults.put(FunctionsSettings.RETIREMENT_POLICY, choice(settings.retirement()));
        defaults.put(FunctionsSettings.CREATE_DEVICE_IDENTITY, String.valueOf(settings.createDeviceIdentity()));
        defaults.put(FunctionsSettings.PARALLELISM, String.valueOf(settings.parallelism()));
        defaults.put(FunctionsSettings.EVENT_BUDGET, String.valueOf(settings.eventBudget().toSeconds()));
        defaults.put(FunctionsSettings.MAX_ATTEMPTS, String.valueOf(settings.maxAttempts()));
        defaults.put(FunctionsSettings.RECONCILE_APPLY, String.valueOf(settings.reconcileApply()));
        defaults.put(FunctionsSettings.RECONCILE_GRACE_PERIOD, String.valueOf(reconcile.gracePeriod().toSeconds()));
        defaults.put(FunctionsSettings.RECONCILE_MAX_RETIREMENTS, String.valueOf(reconcile.maxRetirements()));
        defaults.put(FunctionsSettings.RECONCILE_MAX_RETIREMENT_SHARE, String.valueOf(reconcile.maxRetirementShare()));
        defaults.put(FunctionsSettings.RECONCILE_QUERIES_PER_MINUTE, String.valueOf(reconcile.queriesPerMinute()));
        defaults.put(FunctionsSettings.RECONCILE_REGISTRY_READS_PER_MINUTE,
                String.valueOf(reconcile.registryReadsPerMinute()));
        defaults.put(FunctionsSettings.RECONCILE_PARALLELISM, String.valueOf(reconcile.parallelism()));
        defaults.put(FunctionsSettings.RATE_LIMITS_ENABLED, String.valueOf(settings.rateLimits().isPresent()));
        defaults.put(FunctionsSettings.RATE_LIMIT_CREATE_DELETES, String.valueOf(limits.createDeletesPerSecond()));
        defaults.put(FunctionsSettings.RATE_LIMIT_PER_TWIN_WRITES, String.valueOf(limits.perTwinWritesPerSecond()));
        defaults.put(FunctionsSettings.RATE_LIMIT_PATCHES, String.valueOf(limits.patchesPerSecond()));
        defaults.put(FunctionsSettings.RATE_LIMIT_READS, String.valueOf(limits.readsPerSecond()));
        defaults.put(FunctionsSettings.RATE_LIMIT_QUERIES, String.valueOf(limits.queriesPerSecond()));
        return defaults;
    }

    private static String choice(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The text of the first fenced block after {@code heading}. */
    private static String firstBlockAfter(String heading) throws IOException {
        List<String> lines = Files.readAllLines(functionsMd());
        int from = lines.indexOf(heading);
        assertThat(from).as("heading %s", heading).isNotNegative();
        while (!lines.get(from).startsWith("```")) {
            from++;
        }
        int to = from + 1;
        while (!lines.get(to).startsWith("```")) {
            to++;
        }
        return String.join("\n", lines.subList(from + 1, to));
    }

    private static Path functionsMd() {
        return Path.of(System.getProperty("dpstwin.repository", "..")).resolve("docs/functions.md");
    }

    /** Setting name → default cell of the table under "## Settings". */
    private static Map<String, String> table() throws IOException {
        Path doc = functionsMd();
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inSettings = false;
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith("## ")) {
                inSettings = line.equals("## Settings");
            } else if (inSettings && line.startsWith("### ")) {
                inSettings = false;
            }
            Matcher row = ROW.matcher(line);
            if (inSettings && row.find()) {
                assertThat(rows.put(row.group(1), row.group(2))).as("%s listed twice", row.group(1)).isNull();
            }
        }
        return rows;
    }
}
