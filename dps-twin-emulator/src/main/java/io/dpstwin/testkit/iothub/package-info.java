/**
 * Builders of IoT Hub non-telemetry events in every shape a consumer receives them, for tests of lifecycle
 * consumers (twin retirement) and of parsers.
 *
 * <ul>
 *   <li>{@link io.dpstwin.testkit.iothub.IotHubEvents} creates an immutable
 *       {@link io.dpstwin.testkit.iothub.IotHubEvent}: device or module created/deleted, plus decoys (twin
 *       changes, connection state, legacy {@code *ModuleIdentity} opTypes), with an optional twin body (tags such
 *       as {@code dtId}), timestamps and correlation id.</li>
 *   <li>Message routing to Event Hubs: application properties, IoT Hub system properties and body on the event;
 *       real received {@code EventData} through {@link io.dpstwin.testkit.iothub.EventHubsEvents} (needs the
 *       optional {@code azure-messaging-eventhubs} and the class path).</li>
 *   <li>Azure Functions Event Hubs trigger: index-aligned bodies, {@code PropertiesArray} and
 *       {@code SystemPropertiesArray} via {@link io.dpstwin.testkit.iothub.IotHubEventBatch#functionsBinding()}.</li>
 *   <li>Event Grid schema ({@link io.dpstwin.testkit.iothub.EventGridEvents}, including the subscription
 *       validation handshake) and CloudEvents 1.0 ({@link io.dpstwin.testkit.iothub.CloudEvents}).</li>
 * </ul>
 *
 * <p>Shapes follow Microsoft's IoT Hub non-telemetry event schema and Event Grid IoT Hub schema pages. Where they
 * say nothing (module lifecycle events through Event Grid, the JSON form of {@code user-id} in Functions) the
 * builders make a documented assumption. Events are immutable and deterministic once ids and timestamps are set.
 */
package io.dpstwin.testkit.iothub;
