package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpsertTest {

    @Test
    void updatesEveryNonKeyColumnFromExcluded() {
        assertThat(Upsert.statement("readings", List.of("id", "taken_at", "v", "sensor"), List.of("id", "taken_at")))
            .isEqualTo("INSERT INTO \"readings\" (\"id\", \"taken_at\", \"v\", \"sensor\") VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (\"id\", \"taken_at\") DO UPDATE SET \"v\" = excluded.\"v\", \"sensor\" = excluded.\"sensor\"");
    }

    @Test
    void doesNothingOnConflictWhenEveryColumnIsAKey() {
        assertThat(Upsert.statement("doc.tags", List.of("name"), List.of("name")))
            .isEqualTo("INSERT INTO \"doc\".\"tags\" (\"name\") VALUES (?) ON CONFLICT (\"name\") DO NOTHING");
    }

    @Test
    void quotesNamesSoThatTheyCannotEndTheIdentifier() {
        assertThat(Upsert.statement("my\"table", List.of("id", "we\"ird"), List.of("id")))
            .isEqualTo("INSERT INTO \"my\"\"table\" (\"id\", \"we\"\"ird\") VALUES (?, ?) ON CONFLICT (\"id\")"
                + " DO UPDATE SET \"we\"\"ird\" = excluded.\"we\"\"ird\"");
    }

    @Test
    void rejectsKeysOutsideTheColumnsRepeatedAndBlankNames() {
        assertThatThrownBy(() -> Upsert.statement("t", List.of("id", "v"), List.of("key")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyColumns").hasMessageContaining("[key]");
        assertThatThrownBy(() -> Upsert.statement("t", List.of("id", "id"), List.of("id")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns").hasMessageContaining("twice");
        assertThatThrownBy(() -> Upsert.statement("t", List.of(), List.of("id")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
        assertThatThrownBy(() -> Upsert.statement("t", List.of("id"), List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyColumns");
        assertThatThrownBy(() -> Upsert.statement("doc.", List.of("id"), List.of("id")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> Upsert.statement("t", List.of(" "), List.of(" ")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }
}
