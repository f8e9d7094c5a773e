package io.dpstwin.testkit.device.mqtt;

import io.dpstwin.core.support.Checks;
import io.dpstwin.testkit.emulator.EmulatorCa;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The one MQTT-over-TLS listener (MQTT 3.1.1) that DPS and every IoT hub emulator share, as the Java device SDKs
 * require: their MQTT transports always dial port 8883 (the provisioning client's URI is {@code ssl://%s:8883}), so
 * one port must serve DPS and all hubs. Each CONNECT is dispatched on its user name to the first registered
 * {@link MqttDeviceService} that claims it: DPS's is {@code {idScope}/registrations/{registrationId}/api-version=...}
 * (https://learn.microsoft.com/azure/iot-dps/iot-dps-mqtt-support), a hub's is
 * {@code {hostName}/{deviceId}/?api-version=...} (https://learn.microsoft.com/azure/iot-hub/iot-hub-mqtt-support).
 *
 * <pre>{@code
 * EmulatorCa ca = EmulatorCa.generate();
 * try (DeviceMqttListener mqtt = DeviceMqttListener.builder().certificateAuthority(ca).start()) {   // port 8883
 *     mqtt.register(myService);                              // see MqttDeviceService
 * }
 * }</pre>
 *
 * <p>The listener owns the protocol: it answers PINGREQ, SUBACK/UNSUBACK/PUBACK as the services need, and closes
 * (without affecting other connections) a connection that sends a malformed packet, a message over
 * {@link Builder#maxMessageBytes}, a QoS 2 publish, a packet before or a second CONNECT, or nothing for 1.5 × its
 * keep-alive. A CONNECT no service claims is refused with {@link MqttConnectRefusal#NOT_AUTHORIZED}. TLS 1.2 and 1.3
 * with a certificate issued by the {@link EmulatorCa}, with SANs for the bind host, {@code localhost},
 * {@code 127.0.0.1} and every {@link Builder#serverNames server name} (the SDKs check host names, IPs included).
 */
public final class DeviceMqttListener implements AutoCloseable {

    /** The MQTT-over-TLS port of DPS and IoT Hub, the one the Java and Python device SDKs always dial. */
    public static final int DEFAULT_PORT = 8883;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceMqttListener.class);

    private final List<MqttDeviceService> services = new CopyOnWriteArrayList<>();
    private final EmulatorCa ca;
    private final EmulatorCa.ServerCertificate serverCertificate;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup channels = new DefaultChannelGroup("device-mqtt", GlobalEventExecutor.INSTANCE);
    private final String host;
    private final int port;
    private volatile boolean closed;

    private DeviceMqttListener(Builder builder) {
        this.ca = builder.ca != null ? builder.ca : EmulatorCa.generate();
        this.host = builder.host;
        List<String> names = new ArrayList<>();
        names.add(builder.host);
        names.addAll(builder.serverNames);
        boolean localhost = "localhost".equalsIgnoreCase(builder.host);
        if (localhost) {
            names.add("::1");
        }
        this.serverCertificate = ca.issue(names);
        SslContext sslContext;
        try {
            sslContext = SslContextBuilder.forServer(serverCertificate.privateKey(), serverCertificate.chain())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the MQTT listener's TLS context", e);
        }
        this.bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("device-mqtt-accept", true));
        this.workerGroup = new NioEventLoopGroup(builder.ioThreads, new DefaultThreadFactory("device-mqtt-io", true));
        int maxMessageBytes = builder.maxMessageBytes;
        Duration connectTimeout = builder.connectTimeout;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        channel.pipeline()
                                .addLast("tls", sslContext.newHandler(channel.alloc()))
                                .addLast("idle", new IdleStateHandler(connectTimeout.toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast("decoder", new MqttDecoder(maxMessageBytes))
                                .addLast("encoder", MqttEncoder.INSTANCE)
                                .addLast("connection", new MqttConnectionHandler(services));
                    }
                });
        try {
            InetAddress primary = localhost ? InetAddress.getByName("127.0.0.1") : InetAddress.getByName(builder.host);
            Channel server = bind(bootstrap, new InetSocketAddress(primary, builder.port), builder);
            channels.add(server);
            this.port = ((InetSocketAddress) server.localAddress()).getPort();
            if (localhost) {
                // Node resolves "localhost" to ::1 first: serve it there too when the host has IPv6 loopback
                try {
                    channels.add(bootstrap.bind(new InetSocketAddress(InetAddress.getByName("::1"), port))
                            .sync().channel());
                } catch (Exception e) {
                    LOG.debug("MQTT listener not on [::1]:{} ({})", port, e.toString());
                }
            }
        } catch (RuntimeException e) {
            shutdownGroups();
            throw e;
        } catch (UnknownHostException e) {
            shutdownGroups();
            throw new IllegalArgumentException("unknown MQTT bind host " + builder.host, e);
        }
        LOG.debug("Device MQTT listener on {}:{}", host, port);
    }

    private Channel bind(ServerBootstrap bootstrap, InetSocketAddress address, Builder builder) {
        try {
            return bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the MQTT listener", e);
        } catch (Exception e) {
            if (e instanceof BindException) {
                throw new IllegalStateException("cannot listen for MQTT on " + address.getHostString() + ":"
                        + address.getPort() + ": " + e.getMessage() + ". The port is probably in use: choose another"
                        + " with " + builder.portOption + " (0 picks a free port). Note that the Java device SDKs"
                        + " always dial 8883.", e);
            }
            throw new IllegalStateException("cannot listen for MQTT on " + address, e);
        }
    }

    /** A builder with the defaults: host {@code localhost}, port 8883, a new CA. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Plugs a service in: from now on, CONNECTs are offered to it (after the services registered before it).
     * Returns the service, to {@link #unregister} later.
     */
    public <S extends MqttDeviceService> S register(S service) {
        services.add(Objects.requireNonNull(service, "service"));
        return service;
    }

    /** Stops offering new CONNECTs to {@code service}; its open connections stay open. */
    public void unregister(MqttDeviceService service) {
        services.remove(service);
    }

    /** The host clients dial (as given to {@link Builder#host}). */
    public String host() {
        return host;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** {@code host}, or {@code host:port} when the port is not 8883 (the form Node's clients take as a host). */
    public String address() {
        return port == DEFAULT_PORT ? host : host + ":" + port;
    }

    /** The CA that issued the listener's certificate; clients trust it. */
    public EmulatorCa certificateAuthority() {
        return ca;
    }

    /** The listener's server certificate. */
    public EmulatorCa.ServerCertificate serverCertificate() {
        return serverCertificate;
    }

    /** The number of open device connections (for tests). */
    public int openConnections() {
        return (int) channels.stream().filter(c -> c instanceof SocketChannel).count();
    }

    /** Closes every connection and stops listening. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Options of a {@link DeviceMqttListener}. */
    public static final class Builder {

        private String host = "localhost";
        private int port = DEFAULT_PORT;
        private EmulatorCa ca;
        private final List<String> serverNames = new ArrayList<>();
        private int maxMessageBytes = 256 * 1024 + 8 * 1024;
        private int ioThreads = 2;
        private Duration connectTimeout = Duration.ofSeconds(60);
        private String portOption = "DeviceMqttListener.Builder#port(int)";

        private Builder() {
        }

        /**
         * The host devices dial and the listener binds: {@code localhost} (the default; binds 127.0.0.1 and, when
         * present, ::1), or an IP literal such as {@code 127.0.0.1} or another loopback alias.
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port (default 8883; 0 picks a free one, which only clients that take a port can use). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The CA that issues the listener's certificate (default: a new one). Share it between emulators. */
        public Builder certificateAuthority(EmulatorCa ca) {
            this.ca = Objects.requireNonNull(ca, "ca");
            return this;
        }

        /** More host names or IPs for the certificate, e.g. emulated hub host names mapped to loopback. */
        public Builder serverNames(String... names) {
            serverNames.addAll(List.of(names));
            return this;
        }

        /**
         * The largest MQTT packet accepted (default 264 KiB: IoT Hub's 256 KiB device-to-cloud limit plus topic);
         * a larger packet closes that connection. Services enforce their own smaller limits.
         */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = Checks.atLeast(bytes, 1024, "maxMessageBytes");
            return this;
        }

        /** I/O threads (default 2). */
        public Builder ioThreads(int threads) {
            this.ioThreads = Checks.atLeast(threads, 1, "ioThreads");
            return this;
        }

        /** How long a new connection may take to complete TLS and send CONNECT (default 60 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How the error for a port in use names the option that changes the port (default
         * {@code DeviceMqttListener.Builder#port(int)}); a command line sets its flag, e.g. {@code --mqtt-port}.
         */
        public Builder portOptionName(String option) {
            this.portOption = Objects.requireNonNull(option, "option");
            return this;
        }

        /**
         * Binds and starts listening.
         *
         * @throws IllegalStateException if the port is in use (the message names the port option)
         */
        public DeviceMqttListener start() {
            return new DeviceMqttListener(this);
        }
    }
}
