package io.dpstwin.spring.transport;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Timeouts and trust of an {@link AdtHttpTransport} client.
 *
 * @param connectTimeout      bound on opening a connection
 * @param requestTimeout      bound on waiting for the answer's headers and on each pause while reading or writing a
 *                            body
 * @param trustedCertificates the only certificates to trust (e.g. a local emulator's); empty: the JVM's trust store
 */
public record TransportOptions(Duration connectTimeout, Duration requestTimeout,
                               List<X509Certificate> trustedCertificates) {

    public TransportOptions {
        connectTimeout = requirePositive(connectTimeout, "connectTimeout");
        requestTimeout = requirePositive(requestTimeout, "requestTimeout");
        trustedCertificates = List.copyOf(Objects.requireNonNull(trustedCertificates, "trustedCertificates"));
    }

    /** Options with these timeouts that trust what the JVM trusts. */
    public static TransportOptions of(Duration connectTimeout, Duration requestTimeout) {
        return new TransportOptions(connectTimeout, requestTimeout, List.of());
    }

    /** These options, trusting only {@code certificates}. */
    public TransportOptions trusting(X509Certificate... certificates) {
        return new TransportOptions(connectTimeout, requestTimeout, List.of(certificates));
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
