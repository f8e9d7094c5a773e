package io.dpstwin.samples.spring;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback address of its own for each demo a test starts: the demo's devices need port 8883 (the Java device SDKs
 * always dial it), and concurrent builds on one machine would collide on 127.0.0.1:8883. Linux routes all of
 * 127.0.0.0/8 to loopback.
 */
final class DemoHosts {

    private DemoHosts() {
    }

    /** {@code --demo.mqtt-host=<a loopback address whose port 8883 is free now>}. */
    static String mqttHostArgument() {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String host = "127." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + "." + random.nextInt(2, 255);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(host), 8883));
                return "--demo.mqtt-host=" + host;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no loopback address with a free port 8883", last);
    }
}
