package io.dpstwin.core.reconcile;

import io.dpstwin.core.support.Checks;
import io.dpstwin.core.support.Json;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubBadGatewayException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubGatewayTimeoutException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubInternalServerErrorException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubServerBusyException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubTooManyRequestsException;
import com.microsoft.azure.sdk.iot.service.query.QueryClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.RawQueryResponse;
import com.microsoft.azure.sdk.iot.service.query.SqlQueryBuilder;
import io.dpstwin.core.internal.support.HubNames;
import io.dpstwin.core.internal.support.IotHubClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link DeviceInventory} on IoT Hub's device query ({@code iot-service-client} 2.x {@link QueryClient}):
 * {@code SELECT * FROM devices}, paged with {@link QueryPageOptions} ({@value #DEFAULT_PAGE_SIZE} devices per page
 * by default; the hub may answer with smaller pages). One client per hub, built once; connection strings are used
 * to build the clients and then dropped, and never appear in {@link #toString()}, logs or exception messages. The
 * principal needs registry read access (the {@code registryRead} policy or the "IoT Hub Data Reader" role).
 *
 * <p>Every page is one query request against the hub's query quota (20 per minute per S1/S2 unit). This class
 * neither retries nor paces: the reconciler does both. 429 ({@link IotHubTooManyRequestsException}), 500, 502,
 * 503, 504, I/O failures and other runtime failures (e.g. a token that could not be fetched) are transient; other
 * IoT Hub errors (400, 401, 403, ...) are permanent. The SDK's exceptions carry no {@code Retry-After}, so throttling
 * is retried with backoff.
 *
 * <p>Rows are read as raw JSON (the SDK's {@code queryRaw}) so that every field is seen as IoT Hub sends it:
 * {@code deviceId}, {@code tags.dtId}, {@code tags.dtmi}, {@code modelId}, and for
 * {@link DeviceRecord#lastChanged()} the latest of {@code statusUpdateTime} (also read as
 * {@code statusUpdatedTime}) and {@code properties.desired.$metadata.$lastUpdated}. IoT Hub reports no creation
 * time; values of year 1 ({@code 0001-01-01T00:00:00}, "never") are ignored. {@code lastActivityTime} is not used:
 * it advances with every message, so a chatty device would never leave the grace window.
 */
public final class IotHubDeviceInventory implements DeviceInventory {

    /** Devices asked for per page. */
    public static final int DEFAULT_PAGE_SIZE = 1000;
    /** The query sent to every hub. */
    public static final String DEVICES_QUERY =
            SqlQueryBuilder.createSqlQuery("*", SqlQueryBuilder.FromType.DEVICES, null, null).trim();

    private static final Logger LOG = LoggerFactory.getLogger(IotHubDeviceInventory.class);
    private static final ObjectMapper JSON = Json.MAPPER;

    /** normalized hub name -> (host name, client). */
    private final Map<String, Hub> hubs;
    private final Set<String> hostNames;
    private final int pageSize;

    private record Hub(String hostName, QueryClient client) {
    }

    private IotHubDeviceInventory(Map<String, QueryClient> clientsByHostName, int pageSize) {
        if (clientsByHostName.isEmpty()) {
            throw new IllegalArgumentException("at least one IoT hub is required for the device inventory");
        }
        Checks.atLeast(pageSize, 1, "pageSize");
        Map<String, Hub> byName = new LinkedHashMap<>();
        for (Map.Entry<String, QueryClient> entry : clientsByHostName.entrySet()) {
            String hostName = IotHubClients.requireHostName(entry.getKey());
            QueryClient client = Objects.requireNonNull(entry.getValue(), "client of " + hostName);
            if (byName.put(HubNames.normalize(hostName), new Hub(hostName, client)) != null) {
                throw new IllegalArgumentException("IoT hub '" + hostName + "' is configured twice");
            }
        }
        this.hubs = Collections.unmodifiableMap(byName);
        Set<String> names = new LinkedHashSet<>();
        byName.values().forEach(hub -> names.add(hub.hostName()));
        this.hostNames = Collections.unmodifiableSet(names);
        this.pageSize = pageSize;
    }

    /** An inventory over ready-made clients (e.g. built with {@code QueryClientOptions}), keyed by hub host name. */
    public static IotHubDeviceInventory of(Map<String, QueryClient> clientsByHostName) {
        return of(clientsByHostName, DEFAULT_PAGE_SIZE);
    }

    /** As {@link #of(Map)}, asking for {@code pageSize} devices per page. */
    public static IotHubDeviceInventory of(Map<String, QueryClient> clientsByHostName, int pageSize) {
        Objects.requireNonNull(clientsByHostName, "clientsByHostName");
        return new IotHubDeviceInventory(new LinkedHashMap<>(clientsByHostName), pageSize);
    }

    /**
     * An inventory over hubs reached with an Entra ID credential (recommended; the credential is shared, one client
     * per hub).
     *
     * @param hubHostNames the hubs, e.g. {@code myhub.azure-devices.net}
     */
    public static IotHubDeviceInventory fromCredential(Collection<String> hubHostNames, TokenCredential credential) {
        Objects.requireNonNull(credential, "credential");
        return new IotHubDeviceInventory(IotHubClients.byHostName(hubHostNames, host -> new QueryClient(host, credential)),
                DEFAULT_PAGE_SIZE);
    }

    /**
     * An inventory over hubs reached with shared access policy connection strings
     * ({@code HostName=...;SharedAccessKeyName=...;SharedAccessKey=...}). The strings are not kept, and an invalid
     * one is reported by its position, never by its value.
     */
    public static IotHubDeviceInventory fromConnectionStrings(Collection<String> connectionStrings) {
        return new IotHubDeviceInventory(IotHubClients.byConnectionString(connectionStrings, QueryClient::new),
                DEFAULT_PAGE_SIZE);
    }


    @Override
    public Set<String> hubHostNames() {
        return hostNames;
    }

    /** Devices asked for per page. */
    public int pageSize() {
        return pageSize;
    }

    /**
     * The hub of {@code hubs} (keyed by normalized name) that {@code hubHostName} names; refuses, with every hub the
     * inventory knows, a hub it does not. Shared with {@link ExportedDeviceInventory}.
     */
    static <H> H hubOf(Map<String, H> hubs, String hubHostName, Set<String> hostNames) {
        H hub = hubs.get(HubNames.normalize(hubHostName));
        if (hub == null) {
            throw new DeviceInventoryException(hubHostName, 0, false, null,
                    "IoT hub '" + hubHostName + "' is not one of the inventory's hubs " + hostNames, null);
        }
        return hub;
    }

    @Override
    public DeviceCursor listDevices(String hubHostName) {
        Hub hub = hubOf(hubs, hubHostName, hostNames);
        return new QueryCursor(hub, QueryPageOptions.builder().pageSize(pageSize).build());
    }

    @Override
    public String toString() {
        return "IotHubDeviceInventory[hubs=" + hostNames + ", pageSize=" + pageSize + "]";
    }

    /**
     * Walks {@link RawQueryResponse}: its {@code next(options)} fetches the next page when the current one is used
     * up, and leaves the response unchanged when that fetch fails, so the same call can be repeated. A fetch is
     * seen by the continuation token changing (or by a failure, which only a fetch can raise).
     */
    private static final class QueryCursor implements DeviceCursor {

        private final Hub hub;
        private final QueryPageOptions pageOptions;
        private RawQueryResponse response;
        private int requests;

        QueryCursor(Hub hub, QueryPageOptions pageOptions) {
            this.hub = hub;
            this.pageOptions = pageOptions;
        }

        @Override
        public Optional<DeviceRecord> next() {
            if (response == null) {
                requests++;
                try {
                    response = hub.client().queryRaw(DEVICES_QUERY, pageOptions);
                } catch (IotHubException | IOException | RuntimeException e) {
                    throw failure(hub, e);
                }
            }
            while (response.hasNext()) {
                String tokenBefore = response.getContinuationToken();
                String row;
                try {
                    row = response.next(pageOptions);
                } catch (NoSuchElementException emptyPage) {
                    // A page without rows but with a continuation token: the fetch happened, ask for the next one.
                    if (Objects.equals(tokenBefore, response.getContinuationToken())) {
                        // Never end a listing early: a device missing from it would make its twin look orphaned.
                        throw new DeviceInventoryException(hub.hostName(), 0, false, null, "IoT hub '"
                                + hub.hostName() + "' answered an empty page with the same continuation token", null);
                    }
                    requests++;
                    continue;
                } catch (IotHubException | IOException | RuntimeException e) {
                    requests++;
                    throw failure(hub, e);
                }
                if (!Objects.equals(tokenBefore, response.getContinuationToken())) {
                    requests++;
                }
                Optional<DeviceRecord> device = parse(hub.hostName(), row);
                if (device.isPresent()) {
                    return device;
                }
            }
            return Optional.empty();
        }

        @Override
        public int requestsSent() {
            return requests;
        }

        @Override
        public boolean hasMorePages() {
            if (response == null) {
                return true;
            }
            String token = response.getContinuationToken();
            return token != null && !token.isEmpty();
        }
    }

    /** One row of {@code SELECT * FROM devices}; empty for a row that is not a device (e.g. a module twin). */
    static Optional<DeviceRecord> parse(String hubHostName, String row) {
        JsonNode twin;
        try {
            twin = JSON.readTree(row);
        } catch (IOException e) {
            throw new DeviceInventoryException(hubHostName, 0, false, null,
                    "IoT hub '" + hubHostName + "' answered the device query with a row that is not JSON", null);
        }
        String deviceId = text(twin.get("deviceId"));
        if (deviceId == null || text(twin.get("moduleId")) != null) {
            return Optional.empty();
        }
        JsonNode tags = twin.path("tags");
        Instant lastChanged = latest(
                time(twin.get("statusUpdateTime")),
                time(twin.get("statusUpdatedTime")),
                time(twin.path("properties").path("desired").path("$metadata").get("$lastUpdated")));
        return Optional.of(new DeviceRecord(hubHostName, deviceId, text(tags.get("dtId")), text(tags.get("dtmi")),
                text(twin.get("modelId")), lastChanged));
    }

    static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    static Instant latest(Instant... times) {
        Instant latest = null;
        for (Instant time : times) {
            if (time != null && (latest == null || time.isAfter(latest))) {
                latest = time;
            }
        }
        return latest;
    }

    /** An IoT Hub timestamp, with or without zone (UTC assumed); {@code null} for "never" (year 1) or garbage. */
    static Instant time(JsonNode node) {
        String value = text(node);
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException withoutZone) {
            try {
                instant = LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return instant.atOffset(ZoneOffset.UTC).getYear() <= 1 ? null : instant;
    }

    private static DeviceInventoryException failure(Hub hub, Exception e) {
        int status = statusOf(e);
        boolean transientFailure = !(e instanceof IotHubException) || status == 429 || status >= 500;
        String code = e instanceof IotHubException iot && iot.getErrorCode() > 0
                ? " (errorCode " + iot.getErrorCode() + ")" : "";
        LOG.debug("Device query of {} failed: {}{}", hub.hostName(), e.getClass().getSimpleName(), code);
        return new DeviceInventoryException(hub.hostName(), status, transientFailure, null,
                "IoT hub '" + hub.hostName() + "' could not list its devices: " + e.getClass().getSimpleName() + code,
                e);
    }

    static int statusOf(Exception e) {
        if (e instanceof IotHubTooManyRequestsException) {
            return 429;
        }
        if (e instanceof IotHubServerBusyException) {
            return 503;
        }
        if (e instanceof IotHubInternalServerErrorException) {
            return 500;
        }
        if (e instanceof IotHubBadGatewayException) {
            return 502;
        }
        if (e instanceof IotHubGatewayTimeoutException) {
            return 504;
        }
        if (e instanceof IotHubException iot) {
            // IoT Hub error codes are the HTTP status followed by three digits (e.g. 401002).
            int code = iot.getErrorCode();
            return code >= 100000 && code < 600000 ? code / 1000 : 0;
        }
        return 0;
    }
}
