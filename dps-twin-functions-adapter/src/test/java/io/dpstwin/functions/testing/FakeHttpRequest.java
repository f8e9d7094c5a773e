package io.dpstwin.functions.testing;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A hand-written {@link HttpRequestMessage} as the Functions Java worker hands it to an HTTP-triggered method with
 * {@code HttpRequestMessage<Optional<String>>}: method, URI, headers, query and an optional text body.
 * {@link #createResponseBuilder} returns a working builder of {@link FakeHttpResponse}s. Immutable.
 */
public final class FakeHttpRequest implements HttpRequestMessage<Optional<String>> {

    private final HttpMethod method;
    private final URI uri;
    private final Map<String, String> headers;
    private final Map<String, String> query;
    private final Optional<String> body;

    private FakeHttpRequest(HttpMethod method, URI uri, Map<String, String> headers, Map<String, String> query,
                            Optional<String> body) {
        this.method = method;
        this.uri = uri;
        this.headers = Map.copyOf(headers);
        this.query = Map.copyOf(query);
        this.body = body;
    }

    /** A POST to {@code /api/DpsAdtAllocationFunc} with a JSON body, as DPS sends it. */
    public static FakeHttpRequest post(String body) {
        return new FakeHttpRequest(HttpMethod.POST, URI.create("https://localhost/api/DpsAdtAllocationFunc"),
                Map.of("content-type", "application/json"), Map.of(), Optional.ofNullable(body));
    }

    /** The same request with another method. */
    public FakeHttpRequest withMethod(HttpMethod otherMethod) {
        return new FakeHttpRequest(Objects.requireNonNull(otherMethod), uri, headers, query, body);
    }

    /** The same request with a header added. */
    public FakeHttpRequest withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new FakeHttpRequest(method, uri, copy, query, body);
    }

    /** The same request with a query parameter added (e.g. the function key {@code code}). */
    public FakeHttpRequest withQueryParameter(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(query);
        copy.put(name, value);
        return new FakeHttpRequest(method, uri, headers, copy, body);
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return query;
    }

    @Override
    public Optional<String> getBody() {
        return body;
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new FakeHttpResponse.Builder().status(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new FakeHttpResponse.Builder().status(status);
    }
}
