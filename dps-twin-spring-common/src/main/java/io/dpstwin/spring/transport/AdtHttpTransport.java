package io.dpstwin.spring.transport;

import com.azure.core.http.HttpClient;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The azure-core HTTP transports dps-twin talks to Azure Digital Twins and Microsoft Entra ID over, and the choice
 * among those on the class path. Free of Spring types, so every starter line makes the same choice.
 *
 * <p>{@link #JDK} comes first: {@code azure-core-http-netty} is built for Netty 4.1, and Spring Boot 4 moves Netty to
 * 4.2 underneath it; the JDK's own client has no such dependency. {@link #NETTY} is used when it is the only one
 * present.
 */
public enum AdtHttpTransport {

    /** {@code com.azure:azure-core-http-jdk-httpclient}: the JDK's {@code java.net.http} client (HTTP/2 or 1.1). */
    JDK("com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder", JdkTransport::build),

    /** {@code com.azure:azure-core-http-netty}: reactor-netty (HTTP/1.1). */
    NETTY("com.azure.core.http.netty.NettyAsyncHttpClientBuilder", NettyTransport::build);

    /** The order in which {@link #choose(ClassLoader)} looks for a transport. */
    public static final List<AdtHttpTransport> PREFERENCE = List.of(JDK, NETTY);

    private final String builderClass;
    private final Function<TransportOptions, HttpClient> factory;

    AdtHttpTransport(String builderClass, Function<TransportOptions, HttpClient> factory) {
        this.builderClass = builderClass;
        this.factory = factory;
    }

    /** Whether this transport's library is on the class path of {@code classLoader}. */
    public boolean isPresent(ClassLoader classLoader) {
        try {
            Class.forName(builderClass, false, classLoader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * A new azure-core {@link HttpClient} of this transport with {@code options}' timeouts and trust.
     *
     * @throws IllegalStateException when the transport's library is not on the class path
     */
    public HttpClient create(TransportOptions options) {
        Objects.requireNonNull(options, "options");
        try {
            return factory.apply(options);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException(this + " transport is not on the class path: add " + artifact(), e);
        }
    }

    /** The Maven coordinates of this transport's library. */
    public String artifact() {
        return this == JDK ? "com.azure:azure-core-http-jdk-httpclient" : "com.azure:azure-core-http-netty";
    }

    /** The first transport of {@link #PREFERENCE} present on {@code classLoader}'s class path. */
    public static AdtHttpTransport choose(ClassLoader classLoader) {
        return choose(classLoader, PREFERENCE);
    }

    /**
     * The first transport of {@code preference} present on {@code classLoader}'s class path.
     *
     * @throws IllegalStateException when none is
     */
    public static AdtHttpTransport choose(ClassLoader classLoader, List<AdtHttpTransport> preference) {
        for (AdtHttpTransport transport : preference) {
            if (transport.isPresent(classLoader)) {
                return transport;
            }
        }
        throw new IllegalStateException("no azure-core HTTP transport on the class path; add "
                + JDK.artifact() + " (or " + NETTY.artifact() + ")");
    }
}
