package io.dpstwin.testkit.dps;

/**
 * The attestation mechanism of an enrollment, as named in the enrollment's {@code attestation.type} and as the
 * key of the attestation object in {@code deviceRuntimeContext}.
 */
public enum Attestation {
    /** Symmetric key: DPS sends {@code "symmetricKey":{}}, never the keys themselves. */
    SYMMETRIC_KEY("symmetricKey"),
    /** X.509 certificate. DPS publishes no example of this shape; the builder emits a plausible one. */
    X509("x509"),
    /** Trusted Platform Module: {@code endorsementKey} and {@code storageRootKey}. */
    TPM("tpm");

    private final String wireName;

    Attestation(String wireName) {
        this.wireName = wireName;
    }

    /** The JSON spelling ({@code symmetricKey}, {@code x509}, {@code tpm}). */
    public String wireName() {
        return wireName;
    }
}
