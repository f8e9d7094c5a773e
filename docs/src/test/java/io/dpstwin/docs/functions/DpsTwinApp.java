package io.dpstwin.docs.functions;

import io.dpstwin.core.DpsTwin;
import io.dpstwin.core.lifecycle.DeadLetterSink;
import io.dpstwin.functions.AllocationHandler;
import io.dpstwin.functions.EventHubsLifecycleHandler;
import io.dpstwin.functions.FunctionsDpsTwinFactory;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.functions.LazyDpsTwin;
import io.dpstwin.functions.ReconcileTimerHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;

/**
 * The "Customising beyond app settings" example of docs/functions.md: a Functions app's own holder and handlers, with
 * initial properties, a dead-letter sink and a meter registry that no app setting covers. Exercised by
 * {@link DpsTwinAppTest}.
 */
// tag::dps-twin-app[]
final class DpsTwinApp {

    static final MeterRegistry METERS = new SimpleMeterRegistry();   // default: Metrics.globalRegistry
    static final DeadLetterSink DEAD_LETTERS = new ParkedEvents();   // your DeadLetterSink: a queue, a table, ...

    static final LazyDpsTwin DPS_TWIN = new LazyDpsTwin(FunctionsDpsTwinFactory.builder()
            .meterRegistry(METERS)
            .customizer(DpsTwinApp::customize)
            .build());
    static final AllocationHandler ALLOCATION = new AllocationHandler(DPS_TWIN);
    static final EventHubsLifecycleHandler EVENT_HUBS = new EventHubsLifecycleHandler(DPS_TWIN);
    static final ReconcileTimerHandler RECONCILE = new ReconcileTimerHandler(DPS_TWIN);   // DPSTWIN_RECONCILE_APPLY

    /** Runs after the app settings are applied, with the parsed settings. */
    static void customize(DpsTwin.Builder builder, FunctionsSettings settings) {
        builder.allocationOptions(settings.allocationOptions().toBuilder()
                        .initialProperties("dtmi:contosocom:DigitalTwins:Thermostat;1", Map.of("Temperature", 0.0))
                        .build())
                .deadLetterSink(DEAD_LETTERS);
    }

    private DpsTwinApp() {
    }
}
// end::dps-twin-app[]
