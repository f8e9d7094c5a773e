package io.dpstwin.samples.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.dpstwin.functions.DpsTwinFunctions;

import java.util.Optional;

/**
 * The DPS custom allocation webhook: DPS POSTs each registration to {@code /api/DpsAdtAllocationFunc?code=<function
 * key>} (the reference flow's function name, so existing enrollments keep their webhook URL).
 */
// tag::function[]
public class DpsAllocationFunction {

    // tag::allocation-function[]
    @FunctionName("DpsAdtAllocationFunc")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION)
            HttpRequestMessage<Optional<String>> request,
            final ExecutionContext context) {
        return DpsTwinFunctions.allocation().handle(request, context);
    }
    // end::allocation-function[]
}
// end::function[]
