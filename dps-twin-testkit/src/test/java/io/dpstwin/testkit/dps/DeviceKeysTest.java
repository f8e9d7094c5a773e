package io.dpstwin.testkit.dps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceKeysTest {

    /** Enrollment group key of the DPS custom allocation tutorial. */
    static final String TUTORIAL_GROUP_KEY =
            "oiK77Oy7rBw8YB6IS6ukRChAw+Yq6GC61RMrPLSTiOOtdI+XDu0LmLuNm11p+qv2I+adqGUdZHm46zXAQdZoOA==";

    @Test
    void derivesTheToasterKeyOfTheDpsTutorial() {
        assertThat(DeviceKeys.derive(TUTORIAL_GROUP_KEY, "breakroom499-contoso-tstrsd-007"))
                .isEqualTo("JC8F96eayuQwwz+PkE7IzjH2lIAjCUnAa61tDigBnSs=");
    }

    @Test
    void derivesTheHeatPumpKeyOfTheDpsTutorial() {
        assertThat(DeviceKeys.derive(TUTORIAL_GROUP_KEY, "mainbuilding167-contoso-hpsd-088"))
                .isEqualTo("6uejA9PfkQgmYylj8Zerp3kcbeVrGZ172YLa7VSnJzg=");
    }

    @Test
    void rejectsAGroupKeyThatIsNotBase64WithoutEchoingIt() {
        assertThatThrownBy(() -> DeviceKeys.derive("not base64 %%% secret", "dev-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group key is not valid Base64")
                .hasNoCause();
        assertThatThrownBy(() -> DeviceKeys.derive("", "dev-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("group key is empty");
    }
}
