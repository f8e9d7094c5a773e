/**
 * The emulator of the Device Provisioning Service's device API ({@link io.dpstwin.testkit.dps.emulator.DpsEmulator}),
 * over MQTT and HTTPS, so that the official device SDKs register through it unchanged: enrollments, allocation
 * policies (the custom allocation webhook called as DPS calls it) and the {@link
 * io.dpstwin.testkit.dps.emulator.LinkedHub}s devices are assigned to.
 */
package io.dpstwin.testkit.dps.emulator;
