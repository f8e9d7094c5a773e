/**
 * Helpers shared by every flow, such as {@link io.dpstwin.core.support.Redaction}, which masks keys, tokens,
 * connection strings and attestation data before anything reaches a log.
 */
package io.dpstwin.core.support;
