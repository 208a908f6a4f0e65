package dev.cratereactive;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An SQL statement with its positional parameters ({@code ?} or {@code $1}), and whether it is safe to
 * send twice. Immutable.
 *
 * <p>After a request reached a node, the client retries it on another node only when repeating it cannot
 * change the outcome: reads ({@code SELECT}, {@code WITH}, {@code SHOW}, {@code EXPLAIN}, {@code VALUES}) are
 * detected; mark any other statement with {@link #idempotent()} when you know it is safe (an upsert with
 * {@code ON CONFLICT DO UPDATE} setting fixed values, say). Failures before the request was written (refused
 * connection, connect timeout) are retried for every statement.
 */
public final class Statement {

    private final String sql;
    private final List<Object> args;
    private final boolean idempotent;

    private Statement(String sql, List<Object> args, boolean idempotent) {
        this.sql = sql;
        this.args = args;
        this.idempotent = idempotent;
    }

    /**
     * @param sql the statement text
     * @param args positional parameters; see {@link CrateClient#sql(String, Object...)} for the accepted types
     * @return a statement that is not marked idempotent
     * @throws NullPointerException if {@code sql} is {@code null}
     * @throws IllegalArgumentException if {@code sql} is blank
     */
    public static Statement of(String sql, @Nullable Object @Nullable ... args) {
        Objects.requireNonNull(sql, "sql");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        // Arrays.asList keeps nulls (SQL NULL parameters); the copy keeps the caller's array out of reach.
        Object[] copy = args == null ? new Object[] {null} : args.clone();
        return new Statement(sql, java.util.Collections.unmodifiableList(Arrays.asList(copy)), false);
    }

    /** @return a copy of this statement marked as safe to repeat on another node after it was sent */
    public Statement idempotent() {
        return new Statement(sql, args, true);
    }

    /** @return the statement text */
    public String sql() {
        return sql;
    }

    /** @return the parameters, unmodifiable; may contain {@code null} */
    public List<@Nullable Object> args() {
        return args;
    }

    /** @return whether the caller marked it as safe to repeat */
    public boolean isIdempotent() {
        return idempotent;
    }

    @Override
    public String toString() {
        return "Statement[" + (sql.length() > 200 ? sql.substring(0, 200) + "..." : sql) + ", "
            + args.size() + " args" + (idempotent ? ", idempotent" : "") + "]";
    }
}
