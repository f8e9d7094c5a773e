/**
 * The one MQTT-over-TLS listener (MQTT 3.1.1, port 8883) that the DPS emulator and every IoT hub emulator share
 * ({@link io.dpstwin.testkit.device.mqtt.DeviceMqttListener}), and its dispatch SPI
 * ({@link io.dpstwin.testkit.device.mqtt.MqttDeviceService}): each CONNECT goes to the first service that claims it,
 * which then owns the session.
 */
package io.dpstwin.testkit.device.mqtt;
