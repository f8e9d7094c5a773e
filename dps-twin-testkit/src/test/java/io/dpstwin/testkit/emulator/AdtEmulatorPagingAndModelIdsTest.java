package io.dpstwin.testkit.emulator;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.BasicRelationship;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.models.IncomingRelationship;
import com.azure.digitaltwins.core.models.ListModelsOptions;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.contract.ContractModels;
import io.dpstwin.testkit.junit.AdtEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.dpstwin.testkit.emulator.AdtErrors.assertAdtError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Relationship paging at ADT's size and model-id checks, through the official SDK's sync and async clients. The
 * facts come from the live service as the Azure SDK for Java recorded it (relationshipListOperationWithMultiplePages:
 * 10 per page with a nextLink; getModelThrowsIfModelIdInvalid: 400 InvalidArgument).
 */
class AdtEmulatorPagingAndModelIdsTest extends OnAdtEmulator {

    @RegisterExtension
    static final AdtEmulatorExtension ADT = AdtEmulatorExtension.newInstance()
            .models(ContractModels.ALL.toArray(String[]::new))
            // ADT's size even when a run sets -Ddps-twin.emulator.relationship-page-size
            .configure(builder -> builder.relationshipPageSize(AdtEngine.ADT_RELATIONSHIP_PAGE_SIZE)).build();

    private void graph(int relationships) {
        client.createOrReplaceDigitalTwin("dev-1", new BasicDigitalTwin("dev-1")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.DEVICE_ID)), BasicDigitalTwin.class);
        client.createOrReplaceDigitalTwin("gw-1", new BasicDigitalTwin("gw-1")
                .setMetadata(new BasicDigitalTwinMetadata().setModelId(ContractModels.GATEWAY_ID)), BasicDigitalTwin.class);
        for (int i = 0; i < relationships; i++) {
            client.createOrReplaceRelationship("dev-1", "r" + i, new BasicRelationship("r" + i, "dev-1", "gw-1",
                    "connectedTo"), BasicRelationship.class);
        }
    }

    @Test
    void listsRelationshipsTenPerPageWithNextLinksSync() {
        graph(25);

        List<PagedResponse<BasicRelationship>> outgoing = new ArrayList<>();
        client.listRelationships("dev-1", BasicRelationship.class).iterableByPage().forEach(outgoing::add);
        List<PagedResponse<IncomingRelationship>> incoming = new ArrayList<>();
        client.listIncomingRelationships("gw-1").iterableByPage().forEach(incoming::add);

        assertThat(outgoing).extracting(p -> p.getValue().size()).containsExactly(10, 10, 5);
        assertThat(outgoing).extracting(PagedResponse::getContinuationToken)
                .satisfies(tokens -> assertThat(tokens.get(0)).startsWith(emulator.endpoint() + "/digitaltwins/dev-1/"
                        + "relationships?continuationToken="))
                .last().isNull();
        assertThat(incoming).extracting(p -> p.getValue().size()).containsExactly(10, 10, 5);
        assertThat(incoming.stream().flatMap(p -> p.getValue().stream()).map(IncomingRelationship::getRelationshipId)
                .distinct()).hasSize(25);
        assertThat(emulator.journal().count("GET", "/digitaltwins/dev-1/relationships")).isEqualTo(3);
        assertThat(emulator.journal().count("GET", "/digitaltwins/gw-1/incomingrelationships")).isEqualTo(3);
    }

    @Test
    void listsRelationshipsTenPerPageWithNextLinksAsync() {
        graph(21);

        List<PagedResponse<BasicRelationship>> outgoing = asyncClient.listRelationships("dev-1",
                BasicRelationship.class).byPage().collectList().block();
        List<PagedResponse<IncomingRelationship>> incoming = asyncClient.listIncomingRelationships("gw-1").byPage()
                .collectList().block();

        assertThat(outgoing).extracting(p -> p.getValue().size()).containsExactly(10, 10, 1);
        assertThat(incoming).extracting(p -> p.getValue().size()).containsExactly(10, 10, 1);
        assertThat(Objects.requireNonNull(outgoing).get(2).getContinuationToken()).isNull();
    }

    @Test
    void pagesAtTheConfiguredSizeAndKeepsItAcrossResets() {
        try (AdtEmulator small = AdtEmulator.builder().models(ContractModels.ALL.toArray(String[]::new))
                .relationshipPageSize(1).start()) {
            assertThat(small.engine().relationshipPageSize()).isEqualTo(1);
            small.engine().relationshipPageSize(3);
            small.reset();
            assertThat(small.engine().relationshipPageSize()).as("reset restores the builder's size").isEqualTo(1);
            DigitalTwinsClient smallClient = small.client();
            smallClient.createOrReplaceDigitalTwin("a", new BasicDigitalTwin("a").setMetadata(
                    new BasicDigitalTwinMetadata().setModelId(ContractModels.DEVICE_ID)), BasicDigitalTwin.class);
            for (String target : List.of("b", "c", "d")) {
                smallClient.createOrReplaceDigitalTwin(target, new BasicDigitalTwin(target).setMetadata(
                        new BasicDigitalTwinMetadata().setModelId(ContractModels.DEVICE_ID)), BasicDigitalTwin.class);
                smallClient.createOrReplaceRelationship("a", "to-" + target, new BasicRelationship("to-" + target,
                        "a", target, "peer"), BasicRelationship.class);
            }

            List<PagedResponse<BasicRelationship>> pages = new ArrayList<>();
            smallClient.listRelationships("a", BasicRelationship.class).iterableByPage().forEach(pages::add);

            assertThat(pages).extracting(p -> p.getValue().size()).containsExactly(1, 1, 1);
            assertThat(pages.stream().map(p -> p.getValue().get(0).getTargetId())).containsExactly("b", "c", "d");
        }
        assertThat(AdtEngine.create().relationshipPageSize()).as("ADT's size unless the run sets the property")
                .isEqualTo(Integer.getInteger(AdtEngine.RELATIONSHIP_PAGE_SIZE_PROPERTY,
                        AdtEngine.ADT_RELATIONSHIP_PAGE_SIZE));
    }

    @Test
    void refusesMalformedModelIdsBeforeLookingThemUpSync() {
        String message = "The format of the Model ID thisIsNotAValidModelId provided is not supported";

        assertAdtError(() -> client.getModel("thisIsNotAValidModelId"), 400, "InvalidArgument", message);
        assertAdtError(() -> client.deleteModel("thisIsNotAValidModelId"), 400, "InvalidArgument", message);
        assertAdtError(() -> client.decommissionModel("thisIsNotAValidModelId"), 400, "InvalidArgument", message);
        assertAdtError(() -> client.listModels(new ListModelsOptions().setDependenciesFor(
                List.of("thisIsNotAValidModelId")), Context.NONE).stream().count(), 400, "InvalidArgument", message);
        assertAdtError(() -> client.getModel("dtmi:com:example:Absent;1"), 404, "ModelNotFound",
                "There is no Model(s) available that matches the provided id(s) dtmi:com:example:Absent;1");
        assertThat(emulator.engine().modelIds()).hasSize(ContractModels.ALL.size());
    }

    @Test
    void refusesMalformedModelIdsBeforeLookingThemUpAsync() {
        assertAdtError(() -> asyncClient.getModel("dtmi:no-version-dashes;1").block(), 400, "InvalidArgument",
                "The format of the Model ID dtmi:no-version-dashes;1 provided is not supported");
        assertAdtError(() -> asyncClient.deleteModel("not a dtmi").block(), 400, "InvalidArgument",
                "The format of the Model ID not a dtmi");
        assertAdtError(() -> asyncClient.decommissionModel("dtmi:a:b;0").block(), 400, "InvalidArgument", "dtmi:a:b;0");
        assertThatThrownBy(() -> asyncClient.getModel("dtmi:com:example:Absent;1").block())
                .isInstanceOfSatisfying(HttpResponseException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
        assertThat(asyncClient.getModel(ContractModels.DEVICE_ID).block()).isNotNull();
        assertAdtError(() -> asyncClient.createModels(List.of(ContractModels.GATEWAY)).block(), 409,
                "ModelAlreadyExists", ContractModels.GATEWAY_ID);
    }
}
