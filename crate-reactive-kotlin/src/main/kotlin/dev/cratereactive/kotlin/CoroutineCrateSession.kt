package dev.cratereactive.kotlin

import dev.cratereactive.BulkResult
import dev.cratereactive.CrateSession
import dev.cratereactive.Row
import dev.cratereactive.SqlResult
import dev.cratereactive.Statement
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/**
 * The coroutine face of a [CrateSession], given to the block of [CoroutineCrateClient.session]: statements on one
 * connection of their own, in the order the block runs them, so `SET SESSION` settings, the schema and cursors hold
 * for the session's later statements and for nothing else. No failover within a session; a statement that failed
 * with an error response closes the connection and every later statement of the session then fails with
 * [dev.cratereactive.CrateConnectionException] (see [CrateSession]). Valid only inside the block.
 *
 * @property session the Java session it delegates to
 */
public class CoroutineCrateSession internal constructor(public val session: CrateSession) : CoroutineStatements() {

    override fun rows(statement: Statement): Flux<Row> = session.sql(statement)

    override fun result(statement: Statement): Mono<SqlResult> = session.execute(statement)

    override fun bulkResult(sql: String, rows: List<List<Any?>>): Mono<BulkResult> = session.bulk(sql, rows)
}
