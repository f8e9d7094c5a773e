/**
 * Emulated IoT hubs ({@link io.dpstwin.testkit.iothub.emulator.IotHubEmulator}): the device-identity REST API over
 * HTTPS, device sessions over MQTT, and IoT Hub's device lifecycle events, delivered to in-process subscribers and
 * pushed to Event Grid webhook subscriptions.
 */
package io.dpstwin.testkit.iothub.emulator;
