package io.dpstwin.testkit.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A module identity of a device, as {@link InMemoryDeviceRegistry} holds it.
 *
 * @param hubHostName    the hub its device is registered in
 * @param deviceId       its device's id
 * @param moduleId       its module id
 * @param created        when it was registered
 * @param lastChanged    when it last changed
 * @param authentication how it authenticates
 * @param generationId   the id of this incarnation of the module id
 * @param version        1 when created, +1 on every change; its etag is derived from it
 * @param managedBy      the {@code managedBy} label (e.g. {@code iotEdge}), or {@code null}
 */
public record RegisteredModule(String hubHostName, String deviceId, String moduleId, Instant created,
                               Instant lastChanged, DeviceAuthentication authentication, String generationId,
                               long version, String managedBy) {

    public RegisteredModule {
        RegisteredDevice.requireIdentity(hubHostName, deviceId, created, lastChanged, authentication, generationId);
        Objects.requireNonNull(moduleId, "moduleId");
    }

    /** The identity's etag (Base64, without quotes). */
    public String etag() {
        return RegisteredDevice.etagOf(version);
    }

    @Override
    public String toString() {
        return "RegisteredModule[hub=" + hubHostName + ", deviceId=" + deviceId + ", moduleId=" + moduleId
                + ", version=" + version + ", " + authentication + "]";
    }
}
