package io.dpstwin.testkit.device.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback address of its own for a test class, so that listeners on the fixed port 8883 (which the Java SDKs
 * always dial) of concurrent builds never collide: a random {@code 127.x.y.z} where the OS routes all of 127/8 to
 * the loopback interface (Linux), else {@code 127.0.0.1}.
 */
public final class LoopbackHosts {

    private LoopbackHosts() {
    }

    /** A loopback IP literal whose port 8883 was free a moment ago. */
    public static String withFree8883() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 20; attempt++) {
            String host = "127." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + "."
                    + random.nextInt(2, 255);
            if (bindable(host)) {
                return host;
            }
        }
        return "127.0.0.1";
    }

    private static boolean bindable(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 8883));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
