package io.dpstwin.testkit.reliability;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;

/**
 * Compresses time for the fast reliability runs: an answer with {@code Retry-After: <seconds>} also gets
 * {@code retry-after-ms: <seconds * 1000 * scale>}, which azure-core, and so dps-twin's gateway, read first. The
 * library still waits exactly what the service asks; the service just asks for less. Heavy runs do not use it.
 */
public final class RetryAfterScaling implements HttpPipelinePolicy {

    private final double scale;

    public RetryAfterScaling(double scale) {
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("scale must be in (0, 1], was " + scale);
        }
        this.scale = scale;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return next.process().map(response -> {
            String seconds = response.getHeaderValue(HttpHeaderName.RETRY_AFTER);
            if (seconds == null) {
                return response;
            }
            try {
                long millis = Math.round(Long.parseLong(seconds.trim()) * 1000 * scale);
                return new WithHeader(response, HttpHeaderName.RETRY_AFTER_MS, Long.toString(millis));
            } catch (NumberFormatException notSeconds) {
                return response;
            }
        });
    }

    /** The same response with one more header. */
    private static final class WithHeader extends HttpResponse {
        private final HttpResponse delegate;
        private final HttpHeaders headers;

        WithHeader(HttpResponse delegate, HttpHeaderName name, String value) {
            super(delegate.getRequest());
            this.delegate = delegate;
            this.headers = new HttpHeaders(delegate.getHeaders()).set(name, value);
        }

        @Override
        public int getStatusCode() {
            return delegate.getStatusCode();
        }

        @Override
        @SuppressWarnings("deprecation")
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public String getHeaderValue(HttpHeaderName name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return delegate.getBody();
        }

        @Override
        public BinaryData getBodyAsBinaryData() {
            return delegate.getBodyAsBinaryData();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return delegate.getBodyAsByteArray();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return delegate.getBodyAsString();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return delegate.getBodyAsString(charset);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
