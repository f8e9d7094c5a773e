package io.dpstwin.docs.testing;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.CreateOrReplaceDigitalTwinOptions;

/**
 * The "service of yours" the testing.md examples test: it registers a thermostat's twin with the official SDK
 * client, once.
 */
// tag::service[]
public class ThermostatOnboarding {

    static final String MODEL_ID = "dtmi:com:example:Thermostat;1";

    private final DigitalTwinsClient client;

    public ThermostatOnboarding(DigitalTwinsClient client) {
        this.client = client;
    }

    /** Creates the thermostat's twin unless it exists; {@code true} when this call created it. */
    public boolean register(String thermostatId, String serialNumber) {
        BasicDigitalTwin twin = new BasicDigitalTwin(thermostatId)
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(MODEL_ID))
                .addToContents("serialNumber", serialNumber);
        try {
            client.createOrReplaceDigitalTwinWithResponse(thermostatId, twin, BasicDigitalTwin.class,
                    new CreateOrReplaceDigitalTwinOptions().setIfNoneMatch("*"), Context.NONE);
            return true;
        } catch (HttpResponseException e) {
            if (e.getResponse().getStatusCode() == 412) {   // PreconditionFailed: the twin exists
                return false;
            }
            throw e;
        }
    }
}
// end::service[]
