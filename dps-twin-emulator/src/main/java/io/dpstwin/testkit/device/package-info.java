/**
 * What the emulated services check of a device: {@link io.dpstwin.testkit.device.SharedAccessSignature} parses and
 * verifies the SAS tokens devices present to DPS and IoT Hub, the way every official device SDK writes them.
 */
package io.dpstwin.testkit.device;
