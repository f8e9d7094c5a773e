/**
 * The Event Hubs consumer of IoT Hub lifecycle events: an {@code EventProcessorClient} batch handler that
 * checkpoints only settled events, and the {@code SmartLifecycle} that starts and stops the processor with the
 * application context.
 */
package io.dpstwin.spring.eventhubs;
