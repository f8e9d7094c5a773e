/**
 * Helpers that hosts of core share with it, so that every host behaves alike: {@link io.dpstwin.core.support.Text}
 * (shortening text for logs and answers), {@link io.dpstwin.core.support.Redaction} (masking keys, tokens,
 * connection strings and attestation data before anything reaches a log), {@link io.dpstwin.core.support.Json} (the
 * configured Jackson mapper) and {@link io.dpstwin.core.support.Sleeper} (every wait, injectable for tests through
 * the flows' builders). The helpers only core's flows use are in {@code io.dpstwin.core.internal.support}.
 */
package io.dpstwin.core.support;
