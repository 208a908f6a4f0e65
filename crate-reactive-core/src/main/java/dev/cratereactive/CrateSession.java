package dev.cratereactive;

import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Statements on one pinned connection, given to the work of {@link CrateClient#session(java.util.function.Function)}.
 * CrateDB keeps an HTTP session per TCP connection: {@code SET SESSION} settings, the schema and cursors made by
 * one statement are seen by the later statements of the same session, and by nothing else.
 *
 * <p>The methods behave as on {@link CrateClient}, except that every request goes to the session's node on the
 * session's connection, one at a time, in the order they are subscribed, and nothing fails over to another node.
 * A statement that fails with an error response, or a cursor cancelled in the middle of a page, closes the
 * connection (CrateDB 6.4.3 can fail the next statement on a connection that saw an error); every later statement
 * of the session then fails with a {@link CrateConnectionException}, never silently running on a new connection
 * without the session's settings. Statements subscribed after the session ended fail the same way.
 */
public interface CrateSession {

    /**
     * @param sql the query
     * @param args positional parameters
     * @return its rows; with the client's {@link CrateClientBuilder#defaultFetchSize(int) defaultFetchSize}, read
     *     through a cursor on the session's connection
     */
    default Flux<Row> sql(String sql, @Nullable Object... args) {
        return sql(Statement.of(sql, args));
    }

    /**
     * @param statement the query; a {@link Statement#fetchSize(int) fetch size} reads it through a cursor on the
     *     session's connection, closed when the rows end, fail or are cancelled
     * @return its rows
     */
    Flux<Row> sql(Statement statement);

    /**
     * @param sql a statement run for its effect ({@code SET SESSION}, DML, DDL)
     * @param args positional parameters
     * @return its row count and duration
     */
    default Mono<SqlResult> execute(String sql, @Nullable Object... args) {
        return execute(Statement.of(sql, args));
    }

    /**
     * @param statement a statement run for its effect
     * @return its row count and duration
     */
    Mono<SqlResult> execute(Statement statement);

    /**
     * @param sql the statement, run once per parameter row in one request
     * @param rows one parameter list per execution
     * @return one result per row, in order
     */
    Mono<BulkResult> bulk(String sql, List<? extends List<?>> rows);
}
