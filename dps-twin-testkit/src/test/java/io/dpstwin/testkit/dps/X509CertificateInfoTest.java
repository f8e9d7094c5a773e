package io.dpstwin.testkit.dps;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class X509CertificateInfoTest {

    @Test
    void detailsOfARealCertificateUseItsDerThumbprintsAndValidity() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        Instant notBefore = Instant.parse("2025-01-01T00:00:00Z");
        Instant notAfter = Instant.parse("2027-01-01T00:00:00Z");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(new X500Name("CN=my-ca"), BigInteger.valueOf(0xBEEF),
                        Date.from(notBefore), Date.from(notAfter), new X500Name("CN=dev-x509"), keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));

        X509CertificateInfo info = X509CertificateInfo.of(certificate);

        assertThat(info.subjectName()).isEqualTo("CN=dev-x509");
        assertThat(info.issuerName()).isEqualTo("CN=my-ca");
        assertThat(info.serialNumber()).isEqualTo("BEEF");
        assertThat(info.notBefore()).isEqualTo(notBefore);
        assertThat(info.notAfter()).isEqualTo(notAfter);
        assertThat(info.version()).isEqualTo(3);
        assertThat(info.sha1Thumbprint()).isEqualTo(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded())));
        assertThat(info.sha256Thumbprint()).hasSize(64);
        assertThat(info.toJson().get("notAfterUtc").asText()).isEqualTo("2027-01-01T00:00:00.0000000Z");
    }

    @Test
    void syntheticDetailsAreDeterministicAndDifferPerSubject() {
        X509CertificateInfo a = X509CertificateInfo.synthetic("dev-1", "ca");

        assertThat(X509CertificateInfo.synthetic("dev-1", "ca")).isEqualTo(a);
        assertThat(X509CertificateInfo.synthetic("dev-2", "ca").sha1Thumbprint()).isNotEqualTo(a.sha1Thumbprint());
        assertThat(a.serialNumber()).matches("[0-9A-F]{16}");
    }
}
