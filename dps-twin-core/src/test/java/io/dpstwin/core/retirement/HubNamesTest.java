package io.dpstwin.core.retirement;

import org.junit.jupiter.api.Test;
import io.dpstwin.core.internal.support.HubNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubNamesTest {

    @Test
    void shortNamesAndHostNamesOfOneHubAreTheSame() {
        assertThat(HubNames.normalize("MyHub")).isEqualTo("myhub");
        assertThat(HubNames.normalize(" myhub.azure-devices.net ")).isEqualTo("myhub");
        assertThat(HubNames.sameHub("myhub", "MYHUB.azure-devices.cn")).isTrue();
        assertThat(HubNames.sameHub("myhub", "myhub2.azure-devices.net")).isFalse();
        assertThat(HubNames.sameHub(null, "myhub")).isFalse();
    }

    @Test
    void refusesBlankNames() {
        assertThatThrownBy(() -> HubNames.normalize(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HubNames.normalize(".azure-devices.net")).isInstanceOf(IllegalArgumentException.class);
    }
}
