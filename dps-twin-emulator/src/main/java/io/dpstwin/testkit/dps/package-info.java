/**
 * Builders of what Azure IoT Hub Device Provisioning Service (DPS) sends and what devices present to it, for tests
 * of custom allocation webhooks and for device simulators.
 *
 * <ul>
 *   <li>{@link io.dpstwin.testkit.dps.DpsRequests} / {@link io.dpstwin.testkit.dps.AllocationRequestBuilder}: the
 *       {@code AllocationRequest} JSON DPS POSTs to the webhook, for group or individual enrollments, first
 *       registration or re-registration, symmetric key / X.509 / TPM attestation, with or without a device
 *       payload; {@link io.dpstwin.testkit.dps.MalformedRequest} bends it for negative tests.</li>
 *   <li>{@link io.dpstwin.testkit.dps.DeviceKeys}: derived device keys of symmetric-key enrollment groups.</li>
 *   <li>{@link io.dpstwin.testkit.dps.RegistrationSasToken}: the SAS token a device registers with.</li>
 * </ul>
 *
 * <p>Shapes follow Microsoft's documentation and the request logged in its custom allocation tutorial; where no
 * example is published (the {@code x509} runtime context, individual enrollments) the builders emit a plausible
 * shape based on the DPS REST models, and say so in their Javadoc. All builders are immutable and deterministic
 * once ids and timestamps are fixed. Keys and tokens are secrets: nothing here logs them.
 */
package io.dpstwin.testkit.dps;
