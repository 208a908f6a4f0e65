package dev.cratereactive;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the upsert statement for a table: {@code INSERT INTO "t" ("id", "v") VALUES (?, ?) ON CONFLICT ("id")
 * DO UPDATE SET "v" = excluded."v"}. Sending it twice with the same values leaves the same row, so a
 * {@link BulkWriter} built with it may be {@link BulkWriter.Builder#idempotent(boolean) idempotent}: replays after
 * a failover, or of an at-least-once source, are harmless (effectively once).
 *
 * <p>Names are used exactly as given, each quoted ({@code "}), so they keep their case: pass {@code readings},
 * not {@code Readings}, for a table created without quotes. A table name may be schema-qualified
 * ({@code doc.readings}): it is split at each {@code .}.
 *
 * <pre>{@code
 * String sql = Upsert.statement("doc.readings", List.of("id", "v"), List.of("id"));
 * BulkWriter<Reading> writer = client.bulkWriter(sql, r -> List.of(r.id(), r.v())).idempotent(true).build();
 * }</pre>
 */
public final class Upsert {

    private Upsert() {
    }

    /**
     * @param table the table, optionally schema-qualified
     * @param columns the columns, in parameter order; must include every key column
     * @param keyColumns the primary key columns, the conflict target
     * @return the statement with one {@code ?} per column; when every column is a key column,
     *     {@code ON CONFLICT (...) DO NOTHING}
     * @throws IllegalArgumentException if a name is blank or repeated, no column or key is given, or a key column is
     *     not among the columns
     */
    public static String statement(String table, List<String> columns, List<String> keyColumns) {
        Objects.requireNonNull(table, "table");
        Set<String> cols = names("columns", columns);
        Set<String> keys = names("keyColumns", keyColumns);
        if (!cols.containsAll(keys)) {
            List<String> missing = new ArrayList<>(keys);
            missing.removeAll(cols);
            throw new IllegalArgumentException("keyColumns must be among the columns " + cols + ", missing: " + missing);
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ");
        String[] parts = table.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            sql.append(i == 0 ? "" : ".").append(quote("table", parts[i]));
        }
        sql.append(" (").append(cols.stream().map(c -> quote("columns", c)).collect(Collectors.joining(", ")))
            .append(") VALUES (").append(cols.stream().map(c -> "?").collect(Collectors.joining(", ")))
            .append(") ON CONFLICT (").append(keys.stream().map(k -> quote("keyColumns", k))
                .collect(Collectors.joining(", "))).append(") ");
        List<String> updated = cols.stream().filter(c -> !keys.contains(c)).toList();
        if (updated.isEmpty()) {
            return sql.append("DO NOTHING").toString();
        }
        return sql.append("DO UPDATE SET ").append(updated.stream()
            .map(c -> quote("columns", c) + " = excluded." + quote("columns", c))
            .collect(Collectors.joining(", "))).toString();
    }

    private static Set<String> names(String option, List<String> names) {
        Objects.requireNonNull(names, option);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(option + " must name at least one column, was empty");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            quote(option, name); // rejects blank names
            if (!unique.add(name)) {
                throw new IllegalArgumentException(option + " names \"" + name + "\" twice");
            }
        }
        return unique;
    }

    private static String quote(String option, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(option + " contains a blank name: " + (name == null ? "null" : "\"" + name + "\""));
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
