package io.dpstwin.core.allocation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceIdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev-1", "a", "breakroom499-contoso-tstrsd-007", "site:building.floor_3-dev-", "0"})
    void acceptsRegistrationIdsFollowingTheDpsRules(String id) {
        assertThat(DeviceIdentifiers.registrationIdProblem(id, false)).isEmpty();
    }

    @Test
    void acceptsARegistrationIdOfExactly128Characters() {
        assertThat(DeviceIdentifiers.registrationIdProblem("a".repeat(128), false)).isEmpty();
        assertThat(DeviceIdentifiers.registrationIdProblem("a".repeat(129), false)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.", "dev_", "dev:", "dev 1", "dev/1", "dév", "dev#1"})
    void rejectsRegistrationIdsBreakingTheDpsRules(String id) {
        assertThat(DeviceIdentifiers.registrationIdProblem(id, true)).isPresent();
    }

    @Test
    void upperCaseIsAcceptedOnlyWhenAsked() {
        assertThat(DeviceIdentifiers.registrationIdProblem("Dev-1", false)).isPresent();
        assertThat(DeviceIdentifiers.registrationIdProblem("Dev-1", true)).isEmpty();
    }

    @Test
    void aLoneDashIsAValidLastCharacter() {
        // "-" alone is alphanumerics-or-dash as last character; DPS' rule allows it
        assertThat(DeviceIdentifiers.registrationIdProblem("-", false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Device-1", "a+b%c_d#e*f?g!h(i)j,k=l@m$n'o", "dev.1"})
    void acceptsIotHubDeviceIds(String id) {
        assertThat(DeviceIdentifiers.deviceIdProblem(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev 1", "dev/1", "dev\\1", "dév", ""})
    void rejectsDeviceIdsBreakingIotHubRules(String id) {
        assertThat(DeviceIdentifiers.deviceIdProblem(id)).isPresent();
    }

    @Test
    void twinIdsFromDevicesAreBoundedAndFreeOfPathAndQuoteCharacters() {
        assertThat(DeviceIdentifiers.twinIdProblem("room-101")).isEmpty();
        assertThat(DeviceIdentifiers.twinIdProblem("Room 101 (north)")).isEmpty();
        assertThat(DeviceIdentifiers.twinIdProblem("r".repeat(256))).isEmpty();
        assertThat(DeviceIdentifiers.twinIdProblem("r".repeat(257))).isPresent();
        assertThat(DeviceIdentifiers.twinIdProblem("a'b")).isPresent();
        assertThat(DeviceIdentifiers.twinIdProblem("a\nb")).isPresent();
        assertThat(DeviceIdentifiers.twinIdProblem("")).isPresent();
    }

    @Test
    void messagesNeverCarryControlCharacters() {
        assertThat(DeviceIdentifiers.twinIdProblem("a\nb\rc")).hasValueSatisfying(message ->
                assertThat(message).doesNotContain("\n", "\r"));
    }
}
