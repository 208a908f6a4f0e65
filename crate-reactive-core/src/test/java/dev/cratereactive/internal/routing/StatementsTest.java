package dev.cratereactive.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementsTest {

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "select * from t", "  \n\tSeLeCt 1", "(SELECT 1) UNION (SELECT 2)",
        "-- comment\nSELECT 1", "/* hint */ select 1", "WITH x AS (SELECT 1) SELECT * FROM x", "SHOW TABLES",
        "EXPLAIN SELECT 1", "VALUES (1, 2)", "select"})
    void readsAreRepeatable(String sql) {
        assertThat(Statements.isReadOnly(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO t VALUES (1)", "UPDATE t SET x = 1", "DELETE FROM t", "CREATE TABLE t (x int)",
        "selector", "select_x()", "-- SELECT 1\nDELETE FROM t", "/* SELECT */ UPDATE t SET x = 1", "COPY t FROM 'x'",
        "FETCH 10 FROM c", "REFRESH TABLE t", ""})
    void writesAndCursorMovesAreNot(String sql) {
        assertThat(Statements.isReadOnly(sql)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "  /* tag */ select x FROM t", "-- c\nVALUES (1), (2)", "select"})
    void queriesStartingWithSelectOrValuesCanBeDeclaredAsCursors(String sql) {
        assertThat(Statements.isDeclarable(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"WITH x AS (SELECT 1) SELECT * FROM x", "(SELECT 1) UNION ALL (SELECT 2)", "SHOW TABLES",
        "EXPLAIN SELECT 1", "INSERT INTO t SELECT 1", "selector", ""})
    void otherStatementsCannotBeDeclared(String sql) {
        // CrateDB 6.4.3: DECLARE ... FOR expects SELECT or VALUES (transcripts cursor-declare-with-query, -show)
        assertThat(Statements.isDeclarable(sql)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 250, 5000})
    void displayFormIsFoldedAndBounded(int length) {
        String sql = "SELECT\n  " + "x".repeat(length);
        String shown = dev.cratereactive.internal.failure.Texts.forDisplay(sql);
        assertThat(shown).doesNotContain("\n").startsWith("SELECT x");
        assertThat(shown.length()).isLessThanOrEqualTo(203);
    }

    @Test
    void theOperationIsTheFirstKeywordInUpperCase() {
        assertThat(Statements.operation("  /* c */ (select 1)")).isEqualTo("SELECT");
        assertThat(Statements.operation("insert into t values (1)")).isEqualTo("INSERT");
        assertThat(Statements.operation("-- only\n  KILL ?")).isEqualTo("KILL");
        assertThat(Statements.operation("?")).isEqualTo("OTHER");
    }

    @Test
    void theTagCommentCarriesTheIdAndTheLabel() {
        String id = Statements.newTagId();
        assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo(Statements.newTagId());
        assertThat(Statements.tagComment(id, null)).isEqualTo("/* crate-reactive:" + id + " */ ");
        assertThat(Statements.tagComment(id, "nightly"))
            .isEqualTo("/* crate-reactive:" + id + " nightly */ ");
        assertThat(Statements.isReadOnly(Statements.tagComment(id, "x") + "SELECT 1")).isTrue();
        assertThat(Statements.tagged(id, null, "SELECT 1")).isEqualTo(Statements.tagComment(id, null) + "SELECT 1");
        assertThat(Statements.tagged(id, "x", "SELECT 1")).isEqualTo(Statements.tagComment(id, "x") + "SELECT 1");
    }

    @Test
    void tagIdsKeepTheirLeadingZeros() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Statements.newTagId()).hasSize(32);
        }
    }
}
