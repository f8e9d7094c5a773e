package io.dpstwin.testkit.dps;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpstwin.testkit.internal.Wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Certificate details as the DPS device API reports them ({@code X509CertificateInfo}: subject, thumbprints,
 * issuer, validity, serial number, version). The allocation request's {@code deviceRuntimeContext.x509} object is
 * not documented by any published example; the builders reuse this DPS model for it, so treat the shape as
 * plausible, not verified.
 *
 * @param subjectName      distinguished name of the subject, e.g. {@code CN=dev-1}
 * @param issuerName       distinguished name of the issuer
 * @param sha1Thumbprint   upper-case hex SHA-1 of the DER encoding
 * @param sha256Thumbprint upper-case hex SHA-256 of the DER encoding
 * @param serialNumber     upper-case hex serial number
 * @param notBefore        start of validity
 * @param notAfter         end of validity
 * @param version          X.509 version (3)
 */
public record X509CertificateInfo(String subjectName, String issuerName, String sha1Thumbprint,
                                  String sha256Thumbprint, String serialNumber, Instant notBefore,
                                  Instant notAfter, int version) {

    private static final Instant DEFAULT_NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant DEFAULT_NOT_AFTER = Instant.parse("2034-01-01T00:00:00Z");

    public X509CertificateInfo {
        Objects.requireNonNull(subjectName, "subjectName");
        Objects.requireNonNull(issuerName, "issuerName");
        Objects.requireNonNull(sha1Thumbprint, "sha1Thumbprint");
        Objects.requireNonNull(sha256Thumbprint, "sha256Thumbprint");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    /**
     * Synthetic but deterministic details for a certificate {@code CN=commonName} issued by {@code CN=issuerCommonName}:
     * the thumbprints and serial are hashes of the subject name (no real certificate exists).
     */
    public static X509CertificateInfo synthetic(String commonName, String issuerCommonName) {
        String subject = "CN=" + Objects.requireNonNull(commonName, "commonName");
        String issuer = "CN=" + Objects.requireNonNull(issuerCommonName, "issuerCommonName");
        byte[] seed = (subject + "|" + issuer).getBytes(StandardCharsets.UTF_8);
        String sha1 = hex(digest("SHA-1", seed));
        return new X509CertificateInfo(subject, issuer, sha1, hex(digest("SHA-256", seed)), sha1.substring(0, 16),
                DEFAULT_NOT_BEFORE, DEFAULT_NOT_AFTER, 3);
    }

    /** Details of a real certificate (thumbprints computed over its DER encoding, as DPS and IoT Hub do). */
    public static X509CertificateInfo of(X509Certificate certificate) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
        return new X509CertificateInfo(certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(), hex(digest("SHA-1", der)),
                hex(digest("SHA-256", der)), certificate.getSerialNumber().toString(16).toUpperCase(),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                certificate.getVersion());
    }

    /** The JSON object DPS uses for certificate details. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("subjectName", subjectName);
        node.put("sha1Thumbprint", sha1Thumbprint);
        node.put("sha256Thumbprint", sha256Thumbprint);
        node.put("issuerName", issuerName);
        node.put("notBeforeUtc", Wire.time(notBefore));
        node.put("notAfterUtc", Wire.time(notAfter));
        node.put("serialNumber", serialNumber);
        node.put("version", version);
        return node;
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every JRE", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
