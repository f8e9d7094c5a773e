package io.dpstwin.spring.autoconfigure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

/** A credential that hands out a fixed token without any network call (the emulator accepts any bearer token). */
final class TestCredentials {

    private TestCredentials() {
    }

    static TokenCredential fixedToken() {
        return request -> Mono.just(new AccessToken("test-token", OffsetDateTime.now().plusHours(1)));
    }
}
