package dev.cratereactive;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An SQL statement with its positional parameters ({@code ?} or {@code $1}), and whether it is safe to
 * send twice. Immutable.
 *
 * <p>After a request reached a node, the client retries it on another node only when repeating it cannot
 * change the outcome: reads ({@code SELECT}, {@code WITH}, {@code SHOW}, {@code EXPLAIN}, {@code VALUES}) are
 * detected; mark any other statement with {@link #idempotent()} when you know it is safe (an upsert with
 * {@code ON CONFLICT DO UPDATE} setting fixed values, say). Failures before the request was written (refused
 * connection, connect timeout) are retried for every statement.
 *
 * <p>Every statement is sent with a leading comment <code>/&#42; crate-reactive:&lt;32-hex id&gt;[ &lt;label&gt;] &#42;/</code>,
 * visible in {@code sys.jobs} and {@code sys.jobs_log}: the id finds the job to kill on cancel, the optional
 * {@link #tag(String) label} tells operators what it is.
 *
 * <p>A {@link #fetchSize(int) fetch size} reads a query's rows through a server-side cursor, page by page, so
 * that neither the client nor the server holds the whole result.
 */
public final class Statement {

    /** What a {@link #tag(String) label} may contain. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Marks a statement whose fetch size was not set: the client's default applies. */
    private static final int NO_FETCH_SIZE = -1;

    private final String sql;
    private final List<Object> args;
    private final boolean idempotent;
    private final String label;
    private final Duration timeout;
    private final int fetchSize;

    private Statement(String sql, List<Object> args, boolean idempotent, String label, Duration timeout,
                      int fetchSize) {
        this.sql = sql;
        this.args = args;
        this.idempotent = idempotent;
        this.label = label;
        this.timeout = timeout;
        this.fetchSize = fetchSize;
    }

    /**
     * @param sql the statement text
     * @param args positional parameters; see {@link CrateClient#sql(String, Object...)} for the accepted types
     * @return a statement that is not marked idempotent
     * @throws NullPointerException if {@code sql} is {@code null}
     * @throws IllegalArgumentException if {@code sql} is blank
     */
    public static Statement of(String sql, Object... args) {
        Objects.requireNonNull(sql, "sql");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        // Arrays.asList keeps nulls (SQL NULL parameters); the copy keeps the caller's array out of reach.
        Object[] copy = args == null ? new Object[] {null} : args.clone();
        return new Statement(sql, java.util.Collections.unmodifiableList(Arrays.asList(copy)), false, null, null, NO_FETCH_SIZE);
    }

    /** @return a copy of this statement marked as safe to repeat on another node after it was sent */
    public Statement idempotent() {
        return new Statement(sql, args, true, label, timeout, fetchSize);
    }

    /**
     * A label for operators: sent in the statement's leading comment, so it shows in {@code sys.jobs.stmt} and
     * {@code sys.jobs_log.stmt} (no label by default).
     *
     * @param label 1 to 64 characters of {@code A-Z a-z 0-9 . _ : -}
     * @return a copy of this statement with the label
     * @throws IllegalArgumentException if the label is empty, too long or has another character
     */
    public Statement tag(String label) {
        Objects.requireNonNull(label, "label");
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("tag: must match [A-Za-z0-9._:-]{1,64}, was '" + label + "'");
        }
        return new Statement(sql, args, idempotent, label, timeout, fetchSize);
    }

    /**
     * A deadline for the whole call, counted from subscription: waiting for a pooled connection, connecting,
     * retries and their backoff, and reading every row. When it passes, the call fails with
     * {@link CrateTimeoutException} saying what was still pending, and the job is killed on the server like a
     * cancel (see {@link CrateClientBuilder#cancelOnServer(boolean)}). Overrides
     * {@link CrateClientBuilder#defaultTimeout(Duration)} (default: that one, or none).
     *
     * @param timeout the deadline, positive
     * @return a copy of this statement with the deadline
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Statement timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: must be positive, was " + timeout);
        }
        return new Statement(sql, args, idempotent, label, timeout, fetchSize);
    }

    /**
     * Reads the rows of this query through a server-side cursor, {@code rows} at a time, when it runs with
     * {@link CrateClient#sql(Statement)} or {@link CrateSession#sql(Statement)}: {@code DECLARE ... NO SCROLL
     * CURSOR WITH HOLD FOR <sql>} on a connection of its own, then {@code FETCH rows} each time the subscriber's
     * outstanding demand needs more rows (never ahead of demand), then {@code CLOSE}. The server holds about one
     * page instead of the whole result, and the first row arrives after the first page. Rows, metadata and
     * types are those of a plain query.
     *
     * <p>Failover to another node happens only before the first row; a connection lost later fails the
     * {@code Flux} with a {@link CrateConnectionException} that says how many rows were delivered. CrateDB
     * declares cursors only for queries that start with {@code SELECT} or {@code VALUES}; others fail with its
     * error (4000). A failing {@code FETCH} emits the rows of the pages before it, then the error; the cursor is closed whatever ends
     * the subscription (complete, error, cancel). Ignored by {@code execute} and {@code bulk}.
     *
     * @param rows rows per {@code FETCH}; {@code 0} (the default, or the client's
     *     {@link CrateClientBuilder#defaultFetchSize(int) defaultFetchSize}) reads the result in one response
     * @return a copy of this statement with the fetch size
     * @throws IllegalArgumentException if {@code rows} is negative
     */
    public Statement fetchSize(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("fetchSize: must be zero (no cursor) or positive, was " + rows);
        }
        return new Statement(sql, args, idempotent, label, timeout, rows);
    }

    /**
     * @return rows per {@code FETCH} as set by {@link #fetchSize(int)}; {@code 0} when not set (the client's
     *     default applies) or set to zero
     */
    public int fetchSize() {
        return Math.max(fetchSize, 0);
    }

    /** @return whether {@link #fetchSize(int)} was called on this statement (even with {@code 0}) */
    public boolean hasFetchSize() {
        return fetchSize != NO_FETCH_SIZE;
    }

    /** @return the {@link #tag(String) label}, if set */
    public Optional<String> tag() {
        return Optional.ofNullable(label);
    }

    /** @return the statement's own {@link #timeout(Duration) deadline}, if set */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return the statement text */
    public String sql() {
        return sql;
    }

    /** @return the parameters, unmodifiable; may contain {@code null} */
    public List<Object> args() {
        return args;
    }

    /** @return whether the caller marked it as safe to repeat */
    public boolean isIdempotent() {
        return idempotent;
    }

    @Override
    public String toString() {
        return "Statement[" + (sql.length() > 200 ? sql.substring(0, 200) + "..." : sql) + ", "
            + args.size() + " args" + (idempotent ? ", idempotent" : "") + (label == null ? "" : ", tag " + label)
            + (timeout == null ? "" : ", timeout " + timeout) + (fetchSize > 0 ? ", fetchSize " + fetchSize : "") + "]";
    }
}
