package io.dpstwin.benchmarks.load;

import java.util.List;
import java.util.Map;

/**
 * One provision-and-retire run.
 *
 * @param name             what ran
 * @param provisionSeconds time from the first allocation request until every device had an answer
 * @param retireSeconds    time from the first lifecycle batch until every batch was handled
 * @param dpsRetries       allocation requests DPS had to send again (the webhook answered 429 or more)
 * @param adtRequests      requests the emulator received during the two timed phases
 * @param throttled        requests the emulator answered with 429, as "provisioning + retirement" ("≥" when its
 *                         journal overflowed)
 * @param throttledByOperation 429s per ADT operation (from the journal)
 * @param failures         devices not provisioned or not retired as expected, plus problems of the final graph
 * @param problems         the first few problems, for the report
 */
public record LoadRunResult(String name, double provisionSeconds, double retireSeconds, int dpsRetries,
                        long adtRequests, String throttled, Map<String, Long> throttledByOperation,
                        int failures, List<String> problems) {

    public double totalSeconds() {
        return provisionSeconds + retireSeconds;
    }
}
