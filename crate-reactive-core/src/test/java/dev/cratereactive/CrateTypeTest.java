package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrateTypeTest {

    @Test
    void everyIdOfTheHttpEndpointHasAType() {
        for (int id = 0; id <= 30; id++) {
            CrateType type = CrateType.of(id);
            assertThat(type.id()).isEqualTo(id);
            assertThat(type.isArray()).isFalse();
            assertThat(type.elementType()).isNull();
        }
        assertThat(CrateType.of(27)).isSameAs(CrateType.CHARACTER);
        assertThat(CrateType.of(30)).isSameAs(CrateType.REGTYPE);
    }

    @Test
    void idsFromANewerServerAreKeptByNumber() {
        CrateType future = CrateType.of(42);
        assertThat(future.id()).isEqualTo(42);
        assertThat(future.name()).isEqualTo("TYPE_42");
        assertThat(future).isEqualTo(CrateType.of(42));
    }

    @Test
    void arraysNestAndCompareByElementType() {
        CrateType nested = CrateType.arrayOf(CrateType.arrayOf(CrateType.INTEGER));
        assertThat(nested.id()).isEqualTo(CrateType.ARRAY_ID);
        assertThat(nested.name()).isEqualTo("ARRAY(ARRAY(INTEGER))");
        assertThat(nested.elementType().elementType()).isSameAs(CrateType.INTEGER);
        assertThat(nested).isEqualTo(CrateType.arrayOf(CrateType.arrayOf(CrateType.INTEGER)))
            .isNotEqualTo(CrateType.arrayOf(CrateType.arrayOf(CrateType.BIGINT)));
        assertThat(nested.hashCode()).isEqualTo(CrateType.arrayOf(CrateType.arrayOf(CrateType.INTEGER)).hashCode());
    }

    @Test
    void arrayIdAloneAndNegativeIdsAreRejected() {
        assertThatThrownBy(() -> CrateType.of(100)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("arrayOf");
        assertThatThrownBy(() -> CrateType.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
