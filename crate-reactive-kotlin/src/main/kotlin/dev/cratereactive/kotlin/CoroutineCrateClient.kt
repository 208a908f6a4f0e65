package dev.cratereactive.kotlin

import dev.cratereactive.BulkResult
import dev.cratereactive.CrateClient
import dev.cratereactive.Row
import dev.cratereactive.SqlResult
import dev.cratereactive.Statement
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.reactor.awaitSingleOrNull
import kotlinx.coroutines.reactor.mono
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/**
 * The coroutine face of a [CrateClient]: statements are `suspend` functions, queries are cold
 * [kotlinx.coroutines.flow.Flow]s (see [CoroutineStatements]), and [session] runs a block on one connection.
 *
 * Obtained with [coroutines]; it holds no resources of its own: close the [CrateClient].
 *
 * @property client the client it delegates to
 */
public class CoroutineCrateClient internal constructor(public val client: CrateClient) : CoroutineStatements() {

    override fun rows(statement: Statement): Flux<Row> = client.sql(statement)

    override fun result(statement: Statement): Mono<SqlResult> = client.execute(statement)

    override fun bulkResult(sql: String, rows: List<List<Any?>>): Mono<BulkResult> = client.bulk(sql, rows)

    /**
     * Runs [block] with a [CoroutineCrateSession] (see [CrateClient.session]): its statements run on one connection of
     * their own, in order, so session state set by one (`SET SESSION ...`, cursors) holds for the next.
     *
     * Returns [block]'s result once the session's connection is closed; the connection is closed, never pooled,
     * whatever the block does: returns, throws (the exception is rethrown), or is cancelled. The block runs in the
     * caller's coroutine context (dispatcher, elements), as a child of the session's subscription.
     *
     * ```kotlin
     * val ids = db.session { session ->
     *     session.execute("SET SESSION statement_timeout = '5s'")
     *     session.sql("SELECT id FROM big WHERE v > ?", 0.5).map { it.get<Long>("id") }.toList()
     * }
     * ```
     *
     * @throws dev.cratereactive.CrateException when a statement fails, and whatever [block] throws
     */
    public suspend fun <T> session(block: suspend (CoroutineCrateSession) -> T): T {
        // mono() takes the caller's context without its Job: the subscription owns the block's lifecycle, and
        // cancelling the caller cancels the subscription (awaitSingleOrNull), which cancels the block.
        val context = currentCoroutineContext().minusKey(Job)
        val result = client.session { session -> mono(context) { Box(block(CoroutineCrateSession(session))) } }
            .singleOrEmpty() // emits once the session's Flux completes, i.e. after its connection is closed
            .awaitSingleOrNull()
        return checkNotNull(result) { "the session completed without the block's result" }.value
    }

    /** Carries a block's result through a `Mono`, which cannot carry `null` (a block returning `T?` or `Unit`). */
    private class Box<T>(val value: T)
}

/** @return the coroutine API over this client (cheap: a thin wrapper, create it where you need it) */
public fun CrateClient.coroutines(): CoroutineCrateClient = CoroutineCrateClient(this)
