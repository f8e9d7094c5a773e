package io.dpstwin.testkit.iothub.emulator;

import io.dpstwin.testkit.device.SharedAccessSignature;
import io.dpstwin.testkit.registry.DeviceAuthentication;
import io.dpstwin.testkit.registry.RegisteredDevice;
import io.dpstwin.testkit.registry.RegisteredModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device side of the emulated hubs, independent of the MQTT transport: authenticates a CONNECT (client id, user
 * name, password) as IoT Hub does and opens a {@link DeviceSession} that handles the device's SUBSCRIBEs and
 * PUBLISHes.
 *
 * <ul>
 *   <li>User name {@code {hostName}/{deviceId}/?api-version=…} (or {@code /{deviceId}/{moduleId}/}; the
 *       {@code ?} is optional; Node puts {@code host:port} when it dials a custom port); the client id is the
 *       device id (or {@code deviceId/moduleId}).</li>
 *   <li>Password: a SAS token for {@code {hostName}/devices/{deviceId}[/modules/{moduleId}]} signed with the
 *       identity's primary or secondary key, or with a hub policy key when {@code skn} names one; unexpired.</li>
 *   <li>Refusals use MQTT 3.1.1 CONNACK codes: 2 (client id is not the identity), 4 (a user name that is not IoT
 *       Hub's), 5 (unknown or disabled identity, bad or expired token).</li>
 *   <li>A new session of the same identity displaces the old one, as IoT Hub closes the older connection.</li>
 * </ul>
 *
 * @see <a href="https://learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub">Communicate with an IoT hub
 *         using the MQTT protocol</a>
 */
public final class DeviceSessions {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSessions.class);

    /** CONNACK: accepted. */
    public static final int ACCEPTED = 0;
    /** CONNACK: identifier rejected. */
    public static final int IDENTIFIER_REJECTED = 2;
    /** CONNACK: bad user name or password. */
    public static final int BAD_USERNAME_OR_PASSWORD = 4;
    /** CONNACK: not authorized. */
    public static final int NOT_AUTHORIZED = 5;

    private final IotHubEmulator emulator;
    private final Clock clock;
    private final Map<String, DeviceSession> open = new ConcurrentHashMap<>();

    DeviceSessions(IotHubEmulator emulator, Clock clock) {
        this.emulator = emulator;
        this.clock = clock;
    }

    /**
     * The answer to a CONNECT.
     *
     * @param returnCode the CONNACK return code ({@link #ACCEPTED} or a refusal)
     * @param session    the open session when accepted
     * @param reason     why it was refused (for logs; never holds the token)
     */
    public record ConnectResult(int returnCode, DeviceSession session, String reason) {

        public boolean accepted() {
            return returnCode == ACCEPTED;
        }

        static ConnectResult refused(int code, String reason) {
            return new ConnectResult(code, null, reason);
        }
    }

    /**
     * Whether a CONNECT with this user name is for one of these hubs ({@code {hostName}[:port]/…} with a hub host
     * name), so that a shared listener can dispatch it here.
     */
    public boolean handles(String username) {
        return Username.parse(username).flatMap(u -> hubOf(u.host())).isPresent();
    }

    /** Authenticates a CONNECT and, when accepted, opens its session. */
    public ConnectResult connect(String clientId, String username, String password) {
        Optional<Username> parsed = Username.parse(username);
        if (parsed.isEmpty()) {
            return ConnectResult.refused(BAD_USERNAME_OR_PASSWORD, "the user name is not "
                    + "{hostName}/{deviceId}/?api-version=...");
        }
        Username user = parsed.get();
        Optional<EmulatedIotHub> found = hubOf(user.host());
        if (found.isEmpty()) {
            return ConnectResult.refused(NOT_AUTHORIZED, "no emulated hub is named " + user.host());
        }
        EmulatedIotHub hub = found.get();
        String identity = user.moduleId() == null ? user.deviceId() : user.deviceId() + "/" + user.moduleId();
        if (!identity.equals(clientId)) {
            return ConnectResult.refused(IDENTIFIER_REJECTED, "the client id is not " + identity);
        }
        Optional<RegisteredDevice> device = emulator.registry().device(hub.hostName(), user.deviceId());
        if (device.isEmpty()) {
            return ConnectResult.refused(NOT_AUTHORIZED, "device " + user.deviceId() + " is not registered in "
                    + hub.hostName());
        }
        if (!device.get().enabled()) {
            return ConnectResult.refused(NOT_AUTHORIZED, "device " + user.deviceId() + " is disabled");
        }
        DeviceAuthentication authentication = device.get().authentication();
        if (user.moduleId() != null) {
            Optional<RegisteredModule> module = emulator.registry().module(hub.hostName(), user.deviceId(),
                    user.moduleId());
            if (module.isEmpty()) {
                return ConnectResult.refused(NOT_AUTHORIZED, "module " + identity + " is not registered");
            }
            authentication = module.get().authentication();
        }
        Optional<String> refusal = checkToken(hub, user, password, authentication);
        if (refusal.isPresent()) {
            return ConnectResult.refused(NOT_AUTHORIZED, refusal.get());
        }
        DeviceSession session = new DeviceSession(this, hub, user.deviceId(), user.moduleId(), clock);
        DeviceSession displaced = open.put(hub.hostName() + "|" + identity, session);
        hub.connected(user.deviceId(), user.moduleId(), true);
        if (displaced != null) {
            LOG.debug("A new connection of {} on {} displaces the older one", identity, hub.hostName());
            displaced.displace();
        }
        return new ConnectResult(ACCEPTED, session, null);
    }

    private Optional<String> checkToken(EmulatedIotHub hub, Username user, String password,
                                        DeviceAuthentication authentication) {
        SharedAccessSignature token;
        try {
            token = SharedAccessSignature.parse(password);
        } catch (IllegalArgumentException e) {
            return Optional.of("the password is not a shared access signature");
        }
        if (token.isExpired(clock.instant())) {
            return Optional.of("the shared access signature has expired");
        }
        String path = "/devices/" + user.deviceId() + (user.moduleId() == null ? "" : "/modules/" + user.moduleId());
        String resource = EmulatedIotHub.normalized(token.resource());
        boolean forIdentity = resource.equals((user.host() + path).toLowerCase(Locale.ROOT))
                || resource.equals((hub.hostName() + path).toLowerCase(Locale.ROOT));
        if (!forIdentity) {
            return Optional.of("the shared access signature is not for " + user.host() + path);
        }
        if (token.keyName().isPresent()) {
            Optional<SharedAccessPolicy> policy = hub.spec().policy(token.keyName().get());
            if (policy.isPresent() && policy.get().signed(token)) {
                return Optional.empty();
            }
            if (policy.isPresent()) {
                return Optional.of("the shared access signature does not match policy " + policy.get().name());
            }
        }
        if (!authentication.isSas()) {
            return Optional.of("the identity authenticates with X.509, which the emulator does not accept");
        }
        if (token.isSignedWith(authentication.primaryKey()) || token.isSignedWith(authentication.secondaryKey())) {
            return Optional.empty();
        }
        return Optional.of("the shared access signature does not match the identity's keys");
    }

    private Optional<EmulatedIotHub> hubOf(String host) {
        String withoutPort = host.replaceFirst(":[0-9]+$", "");
        for (EmulatedIotHub hub : emulator.hubs()) {
            if (hub.hostName().equalsIgnoreCase(withoutPort) || hub.hostName().equalsIgnoreCase(host)) {
                return Optional.of(hub);
            }
        }
        return Optional.empty();
    }

    void closed(DeviceSession session) {
        String identity = session.moduleId() == null ? session.deviceId()
                : session.deviceId() + "/" + session.moduleId();
        open.remove(session.hub().hostName() + "|" + identity, session);
        session.hub().connected(session.deviceId(), session.moduleId(), false);
    }

    void closeAll() {
        open.values().forEach(DeviceSession::displace);
        open.clear();
    }

    /** The parts of an IoT Hub MQTT user name. */
    record Username(String host, String deviceId, String moduleId) {

        static Optional<Username> parse(String username) {
            if (username == null) {
                return Optional.empty();
            }
            int version = username.indexOf("api-version=");
            if (version < 0) {
                return Optional.empty();
            }
            String prefix = username.substring(0, version);
            if (prefix.endsWith("?")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (!prefix.endsWith("/")) {
                return Optional.empty();
            }
            String[] parts = prefix.substring(0, prefix.length() - 1).split("/", -1);
            if (parts.length < 2 || parts.length > 3) {
                return Optional.empty();
            }
            for (String part : parts) {
                if (part.isEmpty()) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Username(parts[0], parts[1], parts.length == 3 ? parts[2] : null));
        }
    }
}
