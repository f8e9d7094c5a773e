package io.dpstwin.testkit.emulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SelfSignedCertificateTest {

    @Test
    void namesLocalhostAndLoopbackAsSubjectAlternativeNames() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate();
        X509Certificate certificate = generated.certificate();

        certificate.checkValidity();
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void writesThePemClientsTrust() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate();

        String pem = generated.pem();
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(parsed).isEqualTo(generated.certificate());
        assertThat(SelfSignedCertificate.generate().certificate()).isNotEqualTo(parsed);
    }
}
