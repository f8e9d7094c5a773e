package io.dpstwin.samples.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.dpstwin.functions.DpsTwinFunctions;

/**
 * IoT Hub device lifecycle events through Event Grid ({@code Microsoft.Devices.DeviceDeleted} and
 * {@code DeviceCreated}), the alternative to the Event Hubs route. The trigger answers Event Grid's subscription
 * validation itself.
 */
// tag::function[]
public class LifecycleEventGridFunction {

    @FunctionName("DeviceLifecycleEventGridFunc")
    public void run(@EventGridTrigger(name = "event", dataType = "string") String event,
                    final ExecutionContext context) {
        DpsTwinFunctions.eventGridLifecycle().handle(event, context);
    }
}
// end::function[]
