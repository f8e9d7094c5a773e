package io.dpstwin.testkit.emulator;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One throw-away certificate authority for every emulator of a test run or of one standalone process: an EC P-256
 * key and a self-signed CA certificate made at {@link #generate()}, which {@link #issue issues} the server
 * certificates of the ADT, DPS and IoT Hub emulators and of the shared MQTT listener. Clients trust the CA once
 * ({@link #pem()}, {@link #writePem(Path)}, {@link #clientContext()}, {@link #trustStore()}) and then reach every
 * emulator.
 *
 * <p>Server certificates carry a subject alternative name for each host name and IP address they are issued for
 * (clients check SANs, and the Java SDKs also check them for IP addresses), always including {@code localhost} and
 * {@code 127.0.0.1}. Valid from a day before to a year after their creation. Thread-safe.
 */
public final class EmulatorCa {

    private static final String KEY_STORE_PASSWORD = "emulator";

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final X500Name name;
    private final SecureRandom random = new SecureRandom();

    private EmulatorCa(KeyPair keyPair, X509Certificate certificate, X500Name name) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.name = name;
    }

    /** A new CA with a fresh key. */
    public static EmulatorCa generate() {
        try {
            KeyPair keyPair = newKeyPair();
            X500Name name = new X500Name("CN=dps-twin emulator CA, O=dps-twin");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                    name, keyPair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new EmulatorCa(keyPair, certificate, name);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate the emulator CA", e);
        }
    }

    /** The CA certificate (the one certificate clients trust). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate in PEM, for {@code curl --cacert}, {@code NODE_EXTRA_CA_CERTS} or Python's SDK. */
    public String pem() {
        return pem(certificate);
    }

    /** Writes {@link #pem()} to {@code file} (replacing it) and returns the file. */
    public Path writePem(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, pem(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the emulator CA certificate to " + file, e);
        }
    }

    /** A PKCS#12 trust store holding only the CA certificate (no password needed to read it). */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("dps-twin-emulator-ca", certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the emulator trust store", e);
        }
    }

    /**
     * A client TLS context ({@code TLSv1.2}, which every Azure IoT SDK accepts) that trusts exactly this CA, e.g. for
     * {@code SecurityProvider#getSSLContext()} of the provisioning device client.
     */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client TLS context trusting the emulator CA", e);
        }
    }

    /**
     * Issues a server certificate for {@code names} (host names or IP literals) plus {@code localhost} and
     * {@code 127.0.0.1}.
     */
    public ServerCertificate issue(Collection<String> names) {
        Set<String> all = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        for (String n : names) {
            all.add(Objects.requireNonNull(n, "name").trim());
        }
        try {
            KeyPair serverKeys = newKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + all.iterator().next() + ", O=dps-twin emulator");
            JcaX509v3CertificateBuilder builder;
            synchronized (random) {
                builder = new JcaX509v3CertificateBuilder(name, serial(random),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                        subject, serverKeys.getPublic());
            }
            List<GeneralName> sans = new ArrayList<>();
            for (String n : all) {
                sans.add(isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, n)
                        : new GeneralName(GeneralName.dNSName, n));
            }
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(certificate));
            X509Certificate issued = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new ServerCertificate(serverKeys.getPrivate(), issued, certificate, List.copyOf(all));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot issue an emulator server certificate", e);
        }
    }

    /** {@link #issue(Collection)} for the given names. */
    public ServerCertificate issue(String... names) {
        return issue(List.of(names));
    }

    private static boolean isIpLiteral(String name) {
        if (name.isEmpty()) {
            return false;
        }
        if (name.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(63, random).add(BigInteger.ONE);
    }

    static String pem(X509Certificate certificate) {
        try {
            Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            return "-----BEGIN CERTIFICATE-----\n" + encoder.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    /** A server certificate issued by an {@link EmulatorCa}, with its private key. The key never leaves the JVM. */
    public static final class ServerCertificate {

        private final PrivateKey privateKey;
        private final X509Certificate certificate;
        private final X509Certificate issuer;
        private final List<String> names;

        private ServerCertificate(PrivateKey privateKey, X509Certificate certificate, X509Certificate issuer,
                                  List<String> names) {
            this.privateKey = privateKey;
            this.certificate = certificate;
            this.issuer = issuer;
            this.names = names;
        }

        /** The server certificate. */
        public X509Certificate certificate() {
            return certificate;
        }

        /** The chain a server presents: this certificate, then the CA's. */
        public X509Certificate[] chain() {
            return new X509Certificate[]{certificate, issuer};
        }

        /** The private key, for TLS stacks that take key and chain directly (e.g. Netty). */
        public PrivateKey privateKey() {
            return privateKey;
        }

        /** The host names and IP literals in the subject alternative names. */
        public List<String> names() {
            return names;
        }

        /** A server-side TLS context presenting {@link #chain()}. */
        public SSLContext serverContext() {
            try {
                char[] password = KEY_STORE_PASSWORD.toCharArray();
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("emulator", privateKey, password, (Certificate[]) chain());
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keyStore, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build an emulator server TLS context", e);
            }
        }

        @Override
        public String toString() {
            return "ServerCertificate" + names;
        }
    }
}
