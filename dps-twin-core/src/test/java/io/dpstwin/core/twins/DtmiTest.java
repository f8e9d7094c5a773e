package io.dpstwin.core.twins;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DtmiTest {

    /**
     * The DTMI syntax of DTDL v2/v3 as a regular expression (https://github.com/Azure/opendigitaltwins-dtdl, "Digital
     * Twin Model Identifier"): the specification that the hand-written scanner of {@link Dtmi#isValid} keeps.
     */
    private static final String SEGMENT = "[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?";
    private static final Pattern RULE = Pattern.compile(
            "dtmi:" + SEGMENT + "(?::" + SEGMENT + ")*(?:;[1-9][0-9]{0,8}(?:\\.[1-9][0-9]{0,5})?)?");

    @ParameterizedTest
    @ValueSource(strings = {"dtmi:com:example:Thermostat;1", "dtmi:a;1", "dtmi:a", "dtmi:a:b_c:D9;999999999",
        "dtmi:com:example:Sensor;2.1", "dtmi:x;1.999999", "dtmi:A1_b2"})
    void acceptsDtmisOfDtdlV2AndV3(String dtmi) {
        assertThat(Dtmi.isValid(dtmi)).isTrue();
        assertThat(Dtmi.requireValid(dtmi)).isEqualTo(dtmi);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dtmi:", "dtmi:;1", "dtmi:a;", "dtmi:a;0", "dtmi:a;01", "dtmi:a;1234567890",
        "dtmi:a;1.", "dtmi:a;1.0", "dtmi:a;1.1234567", "dtmi:a;1.2.3", "dtmi:a_;1", "dtmi:_a;1", "dtmi:1a;1",
        "dtmi:a::b;1", "dtmi:a:;1", "dtmi:a-b;1", "DTMI:a;1", "dtmi:a;1\n", " dtmi:a;1", "dtmi:é;1", "urn:a;1",
        "dtmi:a;x"})
    void rejectsWhatBreaksTheSyntax(String dtmi) {
        assertThat(Dtmi.isValid(dtmi)).isFalse();
        assertThatThrownBy(() -> Dtmi.requireValid(dtmi)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdsEveryDtmiToTheStricterLengthOfDtdlV3() {
        String longest = "dtmi:" + "a".repeat(Dtmi.MAX_LENGTH - "dtmi:".length() - 2) + ";1";
        assertThat(longest).hasSize(Dtmi.MAX_LENGTH);
        assertThat(Dtmi.isValid(longest)).isTrue();
        assertThat(Dtmi.isValid("dtmi:a" + longest.substring("dtmi:".length()))).isFalse();
        assertThat(Dtmi.isValid(null)).isFalse();
    }

    @Property(tries = 5000)
    void acceptsExactlyWhatTheSyntaxRuleAccepts(@ForAll("nearlyDtmis") String candidate) {
        assertThat(Dtmi.isValid(candidate)).as(candidate).isEqualTo(RULE.matcher(candidate).matches());
    }

    /** {@code dtmi:} followed by the characters that matter to the syntax, in every order. */
    @Provide
    Arbitrary<String> nearlyDtmis() {
        return Arbitraries.strings().withChars("aZ_09:;.1-").ofMaxLength(14).map(tail -> "dtmi:" + tail);
    }
}
