/**
 * The device simulator: the Java counterpart of the reference walkthrough's Node simulator, on the official
 * {@code provisioning-device-client} and {@code iot-device-client}.
 */
package io.dpstwin.samples.simulator;
