package io.dpstwin.core.reconcile;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TwinIndexTest {

    @Test
    void holdsManyTwinsAndFindsEachByItsExactId() {
        TwinIndex index = new TwinIndex();
        for (int i = 0; i < 5_000; i++) {
            index.add("twin-" + i, i % 2 == 0 ? "dtmi:a;1" : "dtmi:b;1", Instant.ofEpochSecond(i, 123_456_789));
        }

        assertThat(index.size()).isEqualTo(5_000);
        int found = index.indexOf("twin-4321");
        assertThat(index.id(found)).isEqualTo("twin-4321");
        assertThat(index.modelId(found)).isEqualTo("dtmi:b;1");
        assertThat(index.lastUpdate(found)).isEqualTo(Instant.ofEpochSecond(4321, 123_456_789));
        assertThat(index.indexOf("twin-5000")).isEqualTo(-1);
        assertThat(index.indexOf("twin-432")).isNotEqualTo(found);
    }

    @Test
    void theFirstListingOfATwinWinsAndMarksAreKeptPerTwin() {
        TwinIndex index = new TwinIndex();
        index.add("ö'twin", null, null);
        index.add("ö'twin", "dtmi:a;1", Instant.EPOCH);
        index.add("other", "dtmi:a;1", Instant.EPOCH);

        assertThat(index.size()).isEqualTo(2);
        int twin = index.indexOf("ö'twin");
        assertThat(index.modelId(twin)).isNull();
        assertThat(index.lastUpdate(twin)).isNull();
        index.markMapped(twin);
        assertThat(index.isMapped(twin)).isTrue();
        assertThat(index.isMapped(index.indexOf("other"))).isFalse();
    }
}
