package io.dpstwin.samples.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.dpstwin.functions.DpsTwinFunctions;

import java.util.Map;

/**
 * IoT Hub device lifecycle events routed to Event Hubs: retires the twins of deleted devices (and makes sure devices
 * created outside DPS have one). The retry policy makes the host redeliver a batch that had events without an
 * outcome before it checkpoints.
 */
// tag::function[]
public class LifecycleEventHubFunction {

    @FunctionName("DeviceLifecycleEventHubFunc")
    @ExponentialBackoffRetry(maxRetryCount = 5, minimumInterval = "00:00:10", maximumInterval = "00:05:00")
    public void run(
            @EventHubTrigger(name = "messages", eventHubName = "%DPSTWIN_LIFECYCLE_EVENTHUBS_EVENTHUBNAME%",
                    connection = "EVENTHUB_CONNECTIONSTRING", dataType = "string", cardinality = Cardinality.MANY)
            String[] messages,
            @BindingName("PropertiesArray") Map<String, Object>[] propertiesArray,
            @BindingName("SystemPropertiesArray") Map<String, Object>[] systemPropertiesArray,
            final ExecutionContext context) {
        DpsTwinFunctions.eventHubsLifecycle().handle(messages, propertiesArray, systemPropertiesArray, context);
    }
}
// end::function[]
