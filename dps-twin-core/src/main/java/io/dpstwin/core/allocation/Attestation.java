package io.dpstwin.core.allocation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The enrollment's {@code attestation}, reduced to its {@code type} ({@code symmetricKey}, {@code x509},
 * {@code tpm}). Keys and certificates are deliberately not read into the model, so they cannot leak from it.
 *
 * @param type the attestation mechanism; {@code null} when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Attestation(String type) {
}
