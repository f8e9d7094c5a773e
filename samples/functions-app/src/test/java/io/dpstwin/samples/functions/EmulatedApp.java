package io.dpstwin.samples.functions;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.BasicRelationship;
import io.dpstwin.core.DpsTwin;
import io.dpstwin.functions.FunctionsDpsTwinFactory;
import io.dpstwin.functions.FunctionsSettings;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The sample app as deployed, but pointed at the testkit's HTTPS ADT emulator: app settings from a map (with
 * {@code ADT_SERVICE_URL} = the emulator), a fixed bearer token (the emulator accepts any) and an HTTP client that
 * trusts the emulator's certificate. Everything else is the production path: {@link FunctionsDpsTwinFactory},
 * {@code DigitalTwinsClients} and the official SDK.
 */
final class EmulatedApp {

    static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    static final String ROOM = "dtmi:contosocom:DigitalTwins:Room;1";
    static final String HUB_A = "hub-a.azure-devices.net";
    static final String HUB_B = "hub-b.azure-devices.net";

    private EmulatedApp() {
    }

    static AdtEmulatorExtension emulator() {
        return AdtEmulatorExtension.newInstance().modelResources("models/thermostat.json", "models/room.json").build();
    }

    static FunctionsDpsTwinFactory factory(AdtEmulatorExtension adt, Map<String, String> extraSettings,
                                           BiConsumer<DpsTwin.Builder, FunctionsSettings> customizer) {
        Map<String, String> settings = new HashMap<>();
        settings.put(FunctionsSettings.ADT_SERVICE_URL, adt.endpoint());
        settings.put("DPSTWIN_ALLOCATION_RETURNTWINIDINPAYLOAD", "true");
        settings.putAll(extraSettings);
        TokenCredential credential = request ->
                Mono.just(new AccessToken("emulator-token", OffsetDateTime.now().plusHours(1)));
        return FunctionsDpsTwinFactory.builder()
                .settings(settings)
                .credential(credential)
                .httpClient(adt.emulator().httpClient())
                .customizer(customizer)
                .build();
    }

    /** Creates a twin through the SDK, as another application would. */
    static void createTwin(AdtEmulatorExtension adt, String twinId, String modelId) {
        adt.client().createOrReplaceDigitalTwin(twinId,
                new BasicDigitalTwin(twinId).setMetadata(new BasicDigitalTwinMetadata().setModelId(modelId)),
                BasicDigitalTwin.class);
    }

    /** Creates a relationship through the SDK; its id is {@code <name>-<target>}. */
    static void relate(AdtEmulatorExtension adt, String sourceId, String name, String targetId) {
        String id = name + "-" + targetId;
        adt.client().createOrReplaceRelationship(sourceId, id, new BasicRelationship(id, sourceId, targetId, name),
                BasicRelationship.class);
    }

    static FunctionsDpsTwinFactory factory(AdtEmulatorExtension adt, Map<String, String> extraSettings) {
        return factory(adt, extraSettings, (builder, settings) -> { });
    }
}
