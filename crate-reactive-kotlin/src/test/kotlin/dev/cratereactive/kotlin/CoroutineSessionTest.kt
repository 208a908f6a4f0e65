package dev.cratereactive.kotlin

import dev.cratereactive.CrateConnectionException
import dev.cratereactive.testing.CursorNode
import dev.cratereactive.testing.RecordedRequest
import dev.cratereactive.testing.Reply
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** `CoroutineCrateClient.session`: a suspend block on one connection, closed afterwards whatever the block does. */
class CoroutineSessionTest : InProcessCrateTest() {

    @Test
    fun `the block's statements run in order on one connection, which is closed afterwards`() = runTest {
        crate.respond(CursorNode(3))

        val xs = db.session { session ->
            session.execute("SET SESSION search_path TO custom")
            val first = session.sql("SELECT x, label FROM t").map { it.get<Int>("x") }.toList()
            session.bulk("INSERT INTO t (x) VALUES (?)", listOf(listOf(1)))
            first + session.sql("SELECT x, label FROM t").map { it.get<Int>("x") }.toList()
        }

        assertEquals(listOf(0, 1, 2, 0, 1, 2), xs)
        val requests = crate.requests()
        assertEquals(
            listOf("SET SESSION search_path TO custom", "SELECT x, label FROM t", "INSERT INTO t (x) VALUES (?)", "SELECT x, label FROM t"),
            requests.map(RecordedRequest::statement)
        )
        assertEquals(setOf(requests[0].connectionId()), requests.map(RecordedRequest::connectionId).toSet())
        // The client closed the connection before session returned; the server sees the FIN a moment later.
        awaitNoOpenConnections()

        db.sql("SELECT x, label FROM t").toList()
        assertTrue(crate.requests().last().connectionId() != requests[0].connectionId(), "a later query gets another connection")
    }

    @Test
    fun `a block returning null or Unit works`() = runTest {
        crate.respond(CursorNode(3))

        val nothing: String? = db.session { session -> session.execute("SET SESSION search_path TO custom"); null }
        val unit: Unit = db.session { session -> session.execute("SET SESSION search_path TO custom") }

        assertEquals(null, nothing)
        assertEquals(Unit, unit)
        assertEquals(2, crate.requests().size)
    }

    @Test
    fun `what the block throws is rethrown and the connection is closed`() = runTest {
        crate.respond(CursorNode(3))

        val error = assertFailsWith<IllegalStateException> {
            db.session { session ->
                session.execute("SET SESSION search_path TO custom")
                error("boom")
            }
        }

        assertEquals("boom", error.message)
        awaitNoOpenConnections()
    }

    @Test
    fun `after a failed statement the session's later statements fail rather than run elsewhere`() = runTest {
        crate.respond(Reply.transcript("error-unknown-table"))

        val error = assertFailsWith<CrateConnectionException> {
            db.session { session ->
                runCatching { session.execute("SELECT * FROM doc.nope") }
                session.execute("SELECT 1")
            }
        }

        assertTrue(error.message!!.isNotEmpty())
        assertEquals(1, crate.requests().size, "the second statement never reached the server")
        awaitNoOpenConnections()
    }

    @Test
    fun `cancelling the caller cancels the block and closes the connection`() = runTest {
        crate.respond(CursorNode(3))
        val started = CompletableDeferred<Unit>()

        val running = async(Dispatchers.Default) {
            db.session { session ->
                session.execute("SET SESSION search_path TO custom")
                started.complete(Unit)
                awaitCancellation()
            }
        }
        withContext(Dispatchers.Default) { withTimeout(10_000) { started.await() } }
        running.cancel()

        awaitNoOpenConnections()
        assertTrue(running.isCancelled)
    }
}
