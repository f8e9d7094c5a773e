package io.dpstwin.testkit.dps;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrationSasTokenTest {

    private static final String DEVICE_KEY = "JC8F96eayuQwwz+PkE7IzjH2lIAjCUnAa61tDigBnSs=";
    private static final Instant EXPIRY = Instant.ofEpochSecond(1_700_000_000L);

    private final RegistrationSasToken token = RegistrationSasToken
            .forRegistration("0ne00000A0A", "breakroom499-contoso-tstrsd-007")
            .deviceKey(DEVICE_KEY)
            .expiresAt(EXPIRY);

    @Test
    void hasTheDocumentedFormatWithUrlEncodedResourceAndRegistrationPolicy() {
        assertThat(token.toHeaderValue()).matches(
                "SharedAccessSignature sr=0ne00000A0A%2Fregistrations%2Fbreakroom499-contoso-tstrsd-007"
                        + "&sig=[A-Za-z0-9%]+&se=1700000000&skn=registration");
        assertThat(token.resourceUri()).isEqualTo("0ne00000A0A/registrations/breakroom499-contoso-tstrsd-007");
    }

    @Test
    void signatureMatchesAnOpensslComputedVector() {
        // printf '%s\n%s' "0ne00000A0A%2Fregistrations%2Fbreakroom499-contoso-tstrsd-007" 1700000000 \
        //   | openssl dgst -sha256 -mac HMAC -macopt hexkey:<hex of the device key> -binary | base64
        assertThat(token.toHeaderValue()).contains("&sig=X3h8Lo6RXlG5I0I0urdyXMNIl%2Flkrurc4wgIeIvRIF0%3D&");
    }

    @Test
    void isDeterministicForAFixedExpiryAndChangesWithIt() {
        assertThat(token.toHeaderValue()).isEqualTo(token.toHeaderValue());
        assertThat(token.expiresAt(EXPIRY.plusSeconds(1)).toHeaderValue()).isNotEqualTo(token.toHeaderValue());
    }

    @Test
    void groupKeySignsWithTheDerivedDeviceKey() {
        RegistrationSasToken fromGroup = RegistrationSasToken
                .forRegistration("0ne00000A0A", "breakroom499-contoso-tstrsd-007")
                .groupKey(DeviceKeysTest.TUTORIAL_GROUP_KEY)
                .expiresAt(EXPIRY);

        assertThat(fromGroup.toHeaderValue()).isEqualTo(token.toHeaderValue());
    }

    @Test
    void defaultsToOneHourAndValidForIsRelativeToNow() {
        Instant before = Instant.now();
        RegistrationSasToken fresh = RegistrationSasToken.forRegistration("scope", "dev");

        assertThat(fresh.expiryEpochSeconds())
                .isBetween(before.plus(Duration.ofHours(1)).getEpochSecond(),
                        Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
        assertThat(fresh.validFor(Duration.ofMinutes(5)).expiryEpochSeconds())
                .isLessThan(fresh.expiryEpochSeconds());
    }

    @Test
    void toStringNeverRevealsKeyOrSignature() {
        String sig = token.toHeaderValue().replaceAll(".*&sig=([^&]+)&.*", "$1");

        assertThat(token.toString()).doesNotContain(DEVICE_KEY).doesNotContain(sig).contains("****");
    }

    @Test
    void refusesToSignWithoutAKeyOrWithABadOne() {
        assertThatThrownBy(() -> RegistrationSasToken.forRegistration("s", "d").toHeaderValue())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RegistrationSasToken.forRegistration("s", "d").deviceKey("%%%"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("device key is not valid Base64");
    }
}
