package io.dpstwin.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.RetryContext;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.BatchResult;
import io.dpstwin.core.lifecycle.EventOutcome;
import io.dpstwin.core.lifecycle.ParsedEvent;

import java.util.List;
import java.util.function.Supplier;

/** What every lifecycle handler does around core: resolve dps-twin, process, log one summary, fail if unsettled. */
final class LifecycleInvocations {

    /** At most this many failed or dead-lettered events are listed (by id) in the summary. */
    static final int MAX_LISTED = 10;

    private LifecycleInvocations() {
    }

    static DpsTwin resolve(Supplier<DpsTwin> dpsTwin, String source, ExecutionContext context) {
        try {
            return dpsTwin.get();
        } catch (RuntimeException e) {
            InvocationLog.severe(context, source + " lifecycle batch not processed: dps-twin is not available: "
                    + InvocationLog.describe(e));
            throw e;
        }
    }

    static BatchResult process(DpsTwin dpsTwin, List<ParsedEvent> events, String source, ExecutionContext context) {
        BatchResult result = dpsTwin.lifecycle().process(events);
        String summary = source + " lifecycle batch" + retryNote(context) + ": " + result.summary();
        if (!result.allSettled()) {
            InvocationLog.severe(context, summary + listed(result.failed()));
            throw new LifecycleBatchException(source, result);
        }
        if (!result.deadLettered().isEmpty()) {
            InvocationLog.warning(context, summary + listed(result.deadLettered()));
        } else {
            InvocationLog.info(context, summary);
        }
        return result;
    }

    private static String retryNote(ExecutionContext context) {
        RetryContext retry = context == null ? null : context.getRetryContext();
        if (retry == null || retry.getRetrycount() <= 0) {
            return "";
        }
        return " (retry " + retry.getRetrycount() + " of " + retry.getMaxretrycount() + ")";
    }

    private static String listed(List<EventOutcome> outcomes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < outcomes.size() && i < MAX_LISTED; i++) {
            out.append(i == 0 ? "; " : ", ").append(outcomes.get(i));
        }
        if (outcomes.size() > MAX_LISTED) {
            out.append(", and ").append(outcomes.size() - MAX_LISTED).append(" more");
        }
        return out.toString();
    }
}
