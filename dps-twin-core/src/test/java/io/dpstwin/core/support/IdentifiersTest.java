package io.dpstwin.core.support;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.dpstwin.core.internal.support.Identifiers;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifiersTest {

    private static final String DEVICE_ID_SPECIALS = "-:.+%_#*?!(),=@;$'";

    @ParameterizedTest
    @ValueSource(strings = {"dev-1", "a", "breakroom499-contoso-tstrsd-007", "site:building.floor_3-dev-", "0"})
    void acceptsRegistrationIdsFollowingTheDpsRules(String id) {
        assertThat(Identifiers.registrationIdProblem(id, false)).isEmpty();
    }

    @Test
    void acceptsARegistrationIdOfExactly128Characters() {
        assertThat(Identifiers.registrationIdProblem("a".repeat(128), false)).isEmpty();
        assertThat(Identifiers.registrationIdProblem("a".repeat(129), false)).hasValueSatisfying(message ->
                assertThat(message).contains("129 characters", "at most 128"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev.", "dev_", "dev:", "dev 1", "dev/1", "dév", "dev#1"})
    void rejectsRegistrationIdsBreakingTheDpsRules(String id) {
        assertThat(Identifiers.registrationIdProblem(id, true)).isPresent();
    }

    @Test
    void upperCaseIsAcceptedOnlyWhenAsked() {
        assertThat(Identifiers.registrationIdProblem("Dev-1", false)).isPresent();
        assertThat(Identifiers.registrationIdProblem("Dev-1", true)).isEmpty();
    }

    @Test
    void aLoneDashIsAValidLastCharacter() {
        assertThat(Identifiers.registrationIdProblem("-", false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Device-1", "a+b%c_d#e*f?g!h(i)j,k=l@m$n'o", "dev.1", "site:floor-3", "a;b"})
    void acceptsIotHubDeviceIds(String id) {
        assertThat(Identifiers.deviceIdProblem(id)).isEmpty();
        assertThat(Identifiers.moduleIdProblem(id)).isEmpty();
        assertThat(Identifiers.isDeviceId(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev 1", "dev/1", "dev\\1", "dév", "", "a\"b", "a&b"})
    void rejectsDeviceIdsBreakingIotHubRules(String id) {
        assertThat(Identifiers.deviceIdProblem(id)).isPresent();
        assertThat(Identifiers.isDeviceId(id)).isFalse();
    }

    @Test
    void deviceIdsAreBoundedAt128Characters() {
        assertThat(Identifiers.isDeviceId("d".repeat(128))).isTrue();
        assertThat(Identifiers.deviceIdProblem("d".repeat(129))).hasValueSatisfying(message ->
                assertThat(message).contains("at most 128"));
        assertThat(Identifiers.isDeviceId(null)).isFalse();
    }

    @Property
    void everyValidRegistrationIdInLowerCaseIsAValidDeviceId(@ForAll("registrationIds") String registrationId) {
        assertThat(Identifiers.registrationIdProblem(registrationId, false)).isEmpty();
        assertThat(Identifiers.deviceIdProblem(registrationId)).isEmpty();
    }

    @Property
    void everyDeviceIdIsAUsableTwinId(@ForAll("deviceIds") String deviceId) {
        assertThat(Identifiers.deviceIdProblem(deviceId)).isEmpty();
        assertThat(Identifiers.twinIdProblem(deviceId)).isEmpty();
    }

    @Property
    void aTwinIdMadeFromTheLongestPrefixAndDeviceIdIsUsable(@ForAll("deviceIds") String deviceId,
                                                            @ForAll("deviceIds") String prefix) {
        assertThat(Identifiers.twinIdProblem(prefix + deviceId)).isEmpty();
    }

    @Property
    void problemSentencesNeverCarryControlCharacters(@ForAll String anything) {
        for (Optional<String> problem : List.of(Identifiers.registrationIdProblem(anything, false),
                Identifiers.deviceIdProblem(anything), Identifiers.twinIdProblem(anything),
                Identifiers.deviceChosenTwinIdProblem(anything))) {
            problem.ifPresent(message -> assertThat(message).doesNotContainPattern("\\p{Cntrl}"));
        }
    }

    @Property
    void aDeviceChosenTwinIdIsAlsoAUsableTwinId(@ForAll String anything) {
        if (Identifiers.deviceChosenTwinIdProblem(anything).isEmpty()) {
            assertThat(Identifiers.isTwinId(anything)).isTrue();
        }
    }

    @Test
    void twinIdsAreBoundedAndFreeOfControlCharactersAndEdgeWhiteSpace() {
        assertThat(Identifiers.twinIdProblem("room-101")).isEmpty();
        assertThat(Identifiers.twinIdProblem("Room 101 (north)")).isEmpty();
        assertThat(Identifiers.twinIdProblem("a#b'c")).isEmpty();
        assertThat(Identifiers.twinIdProblem("r".repeat(512))).isEmpty();
        assertThat(Identifiers.twinIdProblem("r".repeat(513))).isPresent();
        assertThat(Identifiers.twinIdProblem(" room")).isPresent();
        assertThat(Identifiers.twinIdProblem("room\t")).isPresent();
        assertThat(Identifiers.twinIdProblem("a\u0007b")).isPresent();
        assertThat(Identifiers.twinIdProblem("")).isPresent();
        assertThat(Identifiers.twinIdProblem(null)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a'b", "a\"b", "a\\b", "a/b", "a?b", "a#b"})
    void twinIdsChosenByDevicesMustAvoidPathAndQuoteCharacters(String id) {
        assertThat(Identifiers.isTwinId(id)).isTrue();
        assertThat(Identifiers.deviceChosenTwinIdProblem(id)).hasValueSatisfying(message ->
                assertThat(message).contains("forbidden character"));
    }

    /** The DPS and IoT Hub rules as regular expressions: the specification the hand-written scanners keep. */
    private static final Pattern REGISTRATION_ID_RULE = Pattern.compile("[A-Za-z0-9._:-]*[A-Za-z0-9-]");
    private static final Pattern DEVICE_ID_RULE = Pattern.compile("[A-Za-z0-9\\-:.+%_#*?!(),=@;$']+");

    @Property(tries = 3000)
    void registrationIdsAreCheckedExactlyAsTheDpsRuleSays(@ForAll("nearlyIds") String id) {
        boolean byRule = id.length() <= 128 && REGISTRATION_ID_RULE.matcher(id).matches();
        assertThat(Identifiers.registrationIdProblem(id, true).isEmpty()).as(id).isEqualTo(byRule);
    }

    @Property(tries = 3000)
    void deviceIdsAreCheckedExactlyAsTheIotHubRuleSays(@ForAll("nearlyIds") String id) {
        boolean byRule = id.length() <= 128 && DEVICE_ID_RULE.matcher(id).matches();
        assertThat(Identifiers.isDeviceId(id)).as(id).isEqualTo(byRule);
        assertThat(Identifiers.deviceIdProblem(id).isEmpty()).as(id).isEqualTo(byRule);
    }

    @Test
    void shownValuesAreShortAndPrintable() {
        assertThat(Identifiers.shown("a\nb")).isEqualTo("a?b");
        assertThat(Identifiers.shown("x".repeat(200))).hasSize(80).endsWith("...");
    }

    @Provide
    Arbitrary<String> registrationIds() {
        Arbitrary<String> body = Arbitraries.strings().withChars("abcxyz0189-._:").ofMaxLength(127);
        Arbitrary<Character> last = Arbitraries.of('a', 'z', '0', '9', '-');
        return net.jqwik.api.Combinators.combine(body, last).as((b, l) -> b + l);
    }

    /** Mostly allowed characters, with every kind of disallowed one mixed in now and then. */
    @Provide
    Arbitrary<String> nearlyIds() {
        return Arbitraries.strings().withChars("aZ09-._:+%#*?!(),=@;$'").withChars(" /\\\"&é\t~`")
                .ofMinLength(0).ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> deviceIds() {
        return Arbitraries.strings().alpha().numeric().withChars(DEVICE_ID_SPECIALS).ofMinLength(1).ofMaxLength(128);
    }
}
