package dev.cratereactive.kotlin

import dev.cratereactive.BulkResult
import dev.cratereactive.Row
import dev.cratereactive.SqlResult
import dev.cratereactive.Statement
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.reactive.asFlow
import kotlinx.coroutines.reactor.awaitSingle
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono
import kotlin.reflect.KClass

/**
 * The statements shared by [CoroutineCrateClient] and [CoroutineCrateSession]: `suspend` statements and queries as
 * cold [Flow]s over the client's (or the session's) `Flux` and `Mono`.
 *
 * A query's [Flow] runs the statement once per collection. Collection drives demand: rows are requested from the
 * `Flux` in batches as the collector takes them (kotlinx-coroutines-reactive's `asFlow`, 64 at a time), so with a
 * slow collector the client stops reading from the socket and memory stays bounded. Cancelling the collecting
 * coroutine (or `take(n)`, `first()`) cancels the subscription, which closes the connection and, where the client
 * supports it, kills the statement on the server.
 */
public abstract class CoroutineStatements internal constructor() {

    internal abstract fun rows(statement: Statement): Flux<Row>

    internal abstract fun result(statement: Statement): Mono<SqlResult>

    internal abstract fun bulkResult(sql: String, rows: List<List<Any?>>): Mono<BulkResult>

    /**
     * Runs a query and streams its rows.
     *
     * @param sql the statement, with `?` placeholders
     * @param args positional parameters (see [dev.cratereactive.CrateClient.sql] for the accepted types); `null` is
     *     SQL NULL
     * @return a cold flow of rows; failures are thrown from `collect` as [dev.cratereactive.CrateException]
     */
    public fun sql(sql: String, vararg args: Any?): Flow<Row> = rows(Statement.of(sql, *args)).asFlow()

    /** Runs [statement] (fetch size, tag, idempotence as set on it) and streams its rows; see [sql]. */
    public fun sql(statement: Statement): Flow<Row> = rows(statement).asFlow()

    /**
     * Runs a query and maps every row to [type] by column name (see [RowMapper]).
     *
     * @throws IllegalArgumentException from `collect`, when a constructor parameter has no column and no default
     */
    public fun <T : Any> sql(type: KClass<T>, sql: String, vararg args: Any?): Flow<T> {
        val mapper = RowMapper(type)
        return sql(sql, *args).map(mapper::map)
    }

    /**
     * Runs a statement that returns no rows, or whose row count is all that matters.
     *
     * @return its result: row count and duration
     * @throws dev.cratereactive.CrateException when CrateDB rejects it or cannot be reached
     */
    public suspend fun execute(sql: String, vararg args: Any?): SqlResult =
        result(Statement.of(sql, *args)).awaitSingle()

    /** Runs [statement]; see [execute]. */
    public suspend fun execute(statement: Statement): SqlResult = result(statement).awaitSingle()

    /**
     * Runs one statement for many parameter rows in one request.
     *
     * @return one result per row, in order: check [BulkResult.failedCount], CrateDB answers HTTP 200 when rows fail
     */
    public suspend fun bulk(sql: String, rows: List<List<Any?>>): BulkResult = bulkResult(sql, rows).awaitSingle()
}

/** Runs a query and maps every row to [T] by column name; see [CoroutineStatements.sql] and [RowMapper]. */
public inline fun <reified T : Any> CoroutineStatements.query(sql: String, vararg args: Any?): Flow<T> =
    sql(T::class, sql, *args)
