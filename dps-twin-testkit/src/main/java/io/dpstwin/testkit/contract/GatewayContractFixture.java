package io.dpstwin.testkit.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dpstwin.testkit.adt.AdtEngine;
import io.dpstwin.testkit.adt.AdtJson;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.emulator.AdtEmulator;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link DigitalTwinsGatewayContract} needs from the environment of the gateway under test, besides the
 * gateway: uploading the contract's models and making the service throttle one request.
 */
public interface GatewayContractFixture {

    /** Makes sure these DTDL interfaces are uploaded; interfaces already uploaded are left alone. */
    void ensureModels(List<String> dtdl);

    /** Makes the service answer the next request, whatever it is, with 429 and {@code Retry-After}. */
    void throttleNextRequest(Duration retryAfter);

    /** Called before each test: forget the twins and relationships of earlier tests if the service allows it. */
    default void reset() {
    }

    /** Waits until queries see the writes made so far (real ADT: up to 10 s). */
    default void awaitQueryIndex() {
    }

    /** A fixture for an {@link InMemoryDigitalTwins}. */
    static GatewayContractFixture inMemory(InMemoryDigitalTwins adt) {
        return engine(adt.engine());
    }

    /** A fixture for an {@link AdtEmulator}. */
    static GatewayContractFixture emulator(AdtEmulator emulator) {
        return engine(emulator.engine());
    }

    /** A fixture for any gateway served by {@code engine}. */
    static GatewayContractFixture engine(AdtEngine engine) {
        return new GatewayContractFixture() {
            @Override
            public void ensureModels(List<String> dtdl) {
                Set<String> uploaded = new HashSet<>(engine.modelIds());
                ArrayNode missing = JsonNodeFactory.instance.arrayNode();
                for (String text : dtdl) {
                    JsonNode model;
                    try {
                        model = AdtJson.MAPPER.readTree(text);
                    } catch (JsonProcessingException e) {
                        throw new IllegalArgumentException("a contract model is not JSON", e);
                    }
                    if (!uploaded.contains(model.path("@id").asText())) {
                        missing.add(model);
                    }
                }
                if (!missing.isEmpty()) {
                    engine.createModels(missing);
                }
            }

            @Override
            public void throttleNextRequest(Duration retryAfter) {
                engine.faults().throttleNext(retryAfter);
            }

            @Override
            public void reset() {
                engine.reset();
            }
        };
    }
}
