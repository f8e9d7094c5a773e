package io.dpstwin.samples.spring.local;

import com.azure.core.exception.HttpResponseException;
import com.azure.digitaltwins.core.BasicDigitalTwin;
import com.azure.digitaltwins.core.BasicDigitalTwinMetadata;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The part of the twin graph that exists before any device registers: the reference Thermostat model, a Room
 * model for placement (room {@code -contains->} thermostat) and a few rooms. Installed through the official SDK,
 * exactly as against a real Azure Digital Twins instance; installing twice changes nothing.
 */
public final class ReferenceGraph {

    /** The reference model of the Azure Digital Twins device lifecycle tutorial. */
    public static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";
    /** The model of the rooms thermostats are placed in. */
    public static final String ROOM = "dtmi:contosocom:DigitalTwins:Room;1";
    /** The rooms of the demo building. */
    public static final List<String> ROOMS = List.of("room-101", "room-102", "room-201");

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceGraph.class);

    private final DigitalTwinsClient client;

    public ReferenceGraph(DigitalTwinsClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Uploads both models (one request, they reference each other) and creates the rooms. */
    public void install() {
        try {
            client.createModels(List.of(resource("models/Thermostat.json"), resource("models/Room.json")));
            LOG.info("Uploaded models {} and {}", THERMOSTAT, ROOM);
        } catch (HttpResponseException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 409) {
                throw e;
            }
            LOG.info("Models {} and {} are already uploaded", THERMOSTAT, ROOM);
        }
        for (String room : ROOMS) {
            BasicDigitalTwin twin = new BasicDigitalTwin(room)
                    .setMetadata(new BasicDigitalTwinMetadata().setModelId(ROOM))
                    .addToContents("DisplayName", "Room " + room.substring("room-".length()))
                    .addToContents("Temperature", 21.0);
            client.createOrReplaceDigitalTwin(room, twin, BasicDigitalTwin.class);
        }
        LOG.info("Created rooms {}", ROOMS);
    }

    private static String resource(String name) {
        try (InputStream in = ReferenceGraph.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
