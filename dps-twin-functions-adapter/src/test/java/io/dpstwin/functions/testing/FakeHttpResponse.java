package io.dpstwin.functions.testing;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@link HttpResponseMessage} a {@link FakeHttpRequest}'s builder makes: status, headers (looked up
 * case-insensitively, as HTTP header names are) and body.
 */
public final class FakeHttpResponse implements HttpResponseMessage {

    private final HttpStatusType status;
    private final Map<String, String> headers;
    private final Object body;

    private FakeHttpResponse(Builder builder) {
        this.status = builder.status;
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(builder.headers);
        this.headers = Collections.unmodifiableMap(copy);
        this.body = builder.body;
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    @Override
    public Object getBody() {
        return body;
    }

    /** Every header, names compared case-insensitively. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body as text ({@code null} when there is none). */
    public String bodyAsString() {
        return body == null ? null : body.toString();
    }

    /** Builds {@link FakeHttpResponse}s; {@link #build()} needs a status. */
    public static final class Builder implements HttpResponseMessage.Builder {

        private HttpStatusType status;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Object body;

        @Override
        public Builder status(HttpStatusType value) {
            this.status = Objects.requireNonNull(value, "status");
            return this;
        }

        @Override
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        @Override
        public Builder body(Object value) {
            this.body = value;
            return this;
        }

        @Override
        public FakeHttpResponse build() {
            if (status == null) {
                throw new IllegalStateException("a response needs a status");
            }
            return new FakeHttpResponse(this);
        }
    }
}
