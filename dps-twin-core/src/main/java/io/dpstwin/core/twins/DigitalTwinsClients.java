package io.dpstwin.core.twins;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.HttpClientOptions;
import com.azure.digitaltwins.core.DigitalTwinsClient;
import com.azure.digitaltwins.core.DigitalTwinsClientBuilder;
import io.dpstwin.core.support.Checks;
import io.dpstwin.core.internal.twins.RetryingDigitalTwinsGateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Builds the one {@link DigitalTwinsClient} a process needs, ready for {@link SdkDigitalTwinsGateway}: the SDK's own
 * retries are off (dps-twin retries in {@link RetryingDigitalTwinsGateway}, so that the two do not multiply into up
 * to 4 × 8 requests per call), and the default HTTP client has connect, response and read timeouts.
 *
 * <pre>{@code
 * DigitalTwinsClient client = DigitalTwinsClients.builder()
 *         .endpoint("https://my-instance.api.weu.digitaltwins.azure.net")
 *         .credential(new DefaultAzureCredentialBuilder().build())   // any azure-core TokenCredential
 *         .build();
 * }</pre>
 *
 * Build it once per process and share it: it holds the connection pool and the token cache.
 */
public final class DigitalTwinsClients {

    /** Default bound on waiting for an answer, and on each pause while reading it (default HTTP client only). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default bound on opening a connection (only for the HTTP client built here). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final String APPLICATION_ID = "dps-twin";

    private DigitalTwinsClients() {
    }

    /** A client for {@code endpoint} with default timeouts and the SDK's retries turned off. */
    public static DigitalTwinsClient create(String endpoint, TokenCredential credential) {
        return builder().endpoint(endpoint).credential(credential).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The SDK retry settings dps-twin uses: no retry at all. Use them when you build a {@link DigitalTwinsClient}
     * yourself for {@link SdkDigitalTwinsGateway} ({@code builder.retryOptions(DigitalTwinsClients.noSdkRetries())}).
     */
    public static RetryOptions noSdkRetries() {
        // azure-core accepts 0 retries; the delay is never used but must not be null.
        return new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1)));
    }

    /** Options for {@link DigitalTwinsClients#builder()}; {@link #endpoint} and {@link #credential} are required. */
    public static final class Builder {

        private String endpoint;
        private TokenCredential credential;
        private HttpClient httpClient;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private HttpLogOptions httpLogOptions;

        private Builder() {
        }

        /** The instance's URL, {@code https://<host>}; ADT only takes tokens over HTTPS. */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * The credential for the scope {@code https://digitaltwins.azure.net/.default}; the hosting adapter chooses
         * it (managed identity, {@code DefaultAzureCredential}, ...). Core does not depend on azure-identity.
         */
        public Builder credential(TokenCredential credential) {
            this.credential = credential;
            return this;
        }

        /**
         * The azure-core HTTP client to use instead of the default Netty one, e.g. one that trusts the testkit
         * emulator's certificate. Its own timeouts apply ({@link #requestTimeout} and {@link #connectTimeout} only
         * configure the default client): set them on it, e.g. {@code NettyAsyncHttpClientBuilder#responseTimeout}.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /**
         * Bound on waiting for the answer's headers and on each pause while reading or writing a body (the
         * response, read and write timeouts of azure-core's {@code HttpClientOptions}); an attempt that exceeds it
         * fails with {@link AdtErrorCodes#TIMEOUT}. Default HTTP client only.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Bound on opening a connection; used for the default HTTP client only. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * azure-core's HTTP logging (off unless {@code AZURE_HTTP_LOG_DETAIL_LEVEL} says otherwise); azure-core
         * always redacts the {@code Authorization} header.
         */
        public Builder httpLogOptions(HttpLogOptions httpLogOptions) {
            this.httpLogOptions = httpLogOptions;
            return this;
        }

        /**
         * Builds the client.
         *
         * @throws IllegalArgumentException when the endpoint is missing, not an absolute {@code https} URL, or the
         *                                  credential is missing
         */
        public DigitalTwinsClient build() {
            String checkedEndpoint = checkEndpoint(endpoint);
            if (credential == null) {
                throw new IllegalArgumentException("credential is required (an azure-core TokenCredential)");
            }
            HttpClient transport = httpClient != null
                    ? httpClient
                    : HttpClient.createDefault(new HttpClientOptions()
                            .setConnectTimeout(connectTimeout)
                            .setResponseTimeout(requestTimeout)
                            .setReadTimeout(requestTimeout)
                            .setWriteTimeout(requestTimeout));
            DigitalTwinsClientBuilder builder = new DigitalTwinsClientBuilder();
            if (httpLogOptions != null) {
                builder.httpLogOptions(httpLogOptions);
            }
            return builder
                    .endpoint(checkedEndpoint)
                    .credential(credential)
                    .httpClient(transport)
                    .retryOptions(noSdkRetries())
                    .clientOptions(new ClientOptions().setApplicationId(APPLICATION_ID))
                    .buildClient();
        }

        private static String checkEndpoint(String endpoint) {
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalArgumentException("endpoint is required, e.g. https://<instance>.api.<region>"
                        + ".digitaltwins.azure.net");
            }
            String trimmed = endpoint.trim();
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("endpoint '" + trimmed + "' is not a URL", e);
            }
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint '" + trimmed + "' must be an absolute https:// URL "
                        + "(Azure Digital Twins only accepts tokens over HTTPS)");
            }
            return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        }
    }
}
