package dev.cratereactive.kotlin

import dev.cratereactive.BulkResult
import dev.cratereactive.CrateClient
import dev.cratereactive.Row
import dev.cratereactive.SqlResult
import dev.cratereactive.Statement
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.reactive.asFlow
import kotlinx.coroutines.reactor.awaitSingle
import kotlin.reflect.KClass

/**
 * The coroutine face of a [CrateClient]: statements are `suspend` functions, queries are cold [Flow]s.
 *
 * A query's [Flow] runs the statement once per collection. Collection drives demand: rows are requested from the
 * client's `Flux` in batches as the collector takes them (kotlinx-coroutines-reactive's `asFlow`, 64 at a time),
 * so with a slow collector the client stops reading from the socket and memory stays bounded. Cancelling the
 * collecting coroutine (or `take(n)`, `first()`) cancels the subscription, which closes the connection and, where
 * the client supports it, kills the statement on the server.
 *
 * Obtained with [coroutines]; it holds no resources of its own: close the [CrateClient].
 *
 * @property client the client it delegates to
 */
public class CoroutineCrateClient internal constructor(public val client: CrateClient) {

    /**
     * Runs a query and streams its rows.
     *
     * @param sql the statement, with `?` placeholders
     * @param args positional parameters (see [CrateClient.sql] for the accepted types); `null` is SQL NULL
     * @return a cold flow of rows; failures are thrown from `collect` as [dev.cratereactive.CrateException]
     */
    public fun sql(sql: String, vararg args: Any?): Flow<Row> = client.sql(sql, *args).asFlow()

    /** Runs [statement] (fetch size, tag, idempotence as set on it) and streams its rows; see [sql]. */
    public fun sql(statement: Statement): Flow<Row> = client.sql(statement).asFlow()

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
    public suspend fun execute(sql: String, vararg args: Any?): SqlResult = client.execute(sql, *args).awaitSingle()

    /** Runs [statement]; see [execute]. */
    public suspend fun execute(statement: Statement): SqlResult = client.execute(statement).awaitSingle()

    /**
     * Runs one statement for many parameter rows in one request.
     *
     * @return one result per row, in order: check [BulkResult.failedCount], CrateDB answers HTTP 200 when rows fail
     */
    public suspend fun bulk(sql: String, rows: List<List<Any?>>): BulkResult = client.bulk(sql, rows).awaitSingle()
}

/** Runs a query and maps every row to [T] by column name; see [CoroutineCrateClient.sql] and [RowMapper]. */
public inline fun <reified T : Any> CoroutineCrateClient.query(sql: String, vararg args: Any?): Flow<T> =
    sql(T::class, sql, *args)

/** @return the coroutine API over this client (cheap: a thin wrapper, create it where you need it) */
public fun CrateClient.coroutines(): CoroutineCrateClient = CoroutineCrateClient(this)
