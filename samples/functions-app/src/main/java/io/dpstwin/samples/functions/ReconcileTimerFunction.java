package io.dpstwin.samples.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.dpstwin.functions.DpsTwinFunctions;

/**
 * Repairs drift between the IoT hubs and the twin graph on a schedule (app setting
 * {@code DPSTWIN_RECONCILE_SCHEDULE_CRON}, e.g. {@code 0 0 * * * *} for hourly): a dry run that only reports, unless
 * {@code DPSTWIN_RECONCILE_APPLY=true}. Timer functions run on one instance of the app at a time.
 */
// tag::function[]
public class ReconcileTimerFunction {

    // tag::timer-method[]
    @FunctionName("DpsTwinReconcileFunc")
    public void run(@TimerTrigger(name = "timer", schedule = "%DPSTWIN_RECONCILE_SCHEDULE_CRON%") String timerInfo,
                    final ExecutionContext context) {
        DpsTwinFunctions.reconcile().handle(timerInfo, context);
    }
    // end::timer-method[]
}
// end::function[]
