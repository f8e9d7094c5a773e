/**
 * Helpers shared by every flow, each the one home of its rule: {@link io.dpstwin.core.internal.support.Identifiers}
 * (registration, device, module and twin id syntax), {@link io.dpstwin.core.support.Text} (shortening text for logs
 * and answers), {@link io.dpstwin.core.support.Redaction} (masking keys, tokens, connection strings and attestation
 * data before anything reaches a log), {@link io.dpstwin.core.support.Json} (the configured Jackson mapper),
 * {@link io.dpstwin.core.support.Sleeper} (every wait, injectable for tests) and
 * {@link io.dpstwin.core.internal.support.BoundedExecutor} (the flows' workers, on a host's executor or a pool of their own).
 */
package io.dpstwin.core.support;
