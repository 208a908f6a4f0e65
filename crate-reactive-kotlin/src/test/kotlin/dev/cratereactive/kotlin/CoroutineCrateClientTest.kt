package dev.cratereactive.kotlin

import dev.cratereactive.CrateSqlException
import dev.cratereactive.testing.GeneratedResult
import dev.cratereactive.testing.Reply
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import org.junit.jupiter.api.Test
import java.time.Instant
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

data class Reading(val id: Long, val sensor: String, val takenAt: Instant, val celsius: Double?, val unit: String = "C")

/** The coroutine API against the in-process CrateDB stand-in. */
class CoroutineCrateClientTest : InProcessCrateTest() {

    @Test
    fun `execute suspends until CrateDB answers and returns the row count`() = runTest {
        crate.respond(Reply.json(200, """{"cols":[],"rowcount":3,"duration":1.5}"""))

        val result = db.execute("UPDATE t SET v = ? WHERE id > ?", null, 7)

        assertEquals(3, result.rowCount())
        assertEquals("[null,7]", crate.requests().single().json().path("args").toString())
    }

    @Test
    fun `a rejected statement is thrown from the suspend call`() = runTest {
        crate.respond(Reply.transcript("error-unknown-table"))

        val error = assertFailsWith<CrateSqlException> { db.execute("SELECT * FROM doc.nope") }

        assertEquals(4041, error.errorCode())
    }

    @Test
    fun `bulk suspends and reports each row`() = runTest {
        crate.respond(Reply.transcript("bulk-partial-failure"))

        val result = db.bulk("INSERT INTO t (id, v) VALUES (?, ?)", listOf(listOf(4, "d"), listOf(1, "dup"), listOf(5, "e")))

        assertEquals(listOf(false, true, false), result.results().map { it.failed() })
    }

    @Test
    fun `query maps rows to a data class by column name, snake case and defaults included`() = runTest {
        crate.respond(
            Reply.json(
                200,
                """{"cols":["id","sensor","taken_at","celsius"],"col_types":[10,4,11,6],
                   "rows":[[1,"attic",1709164800000,21.5],[2,"cellar",1709164860000,null]],"rowcount":2,"duration":1.0}"""
            )
        )

        val readings = db.query<Reading>("SELECT id, sensor, taken_at, celsius FROM readings").toList()

        assertEquals(
            listOf(
                Reading(1, "attic", Instant.parse("2024-02-29T00:00:00Z"), 21.5),
                Reading(2, "cellar", Instant.parse("2024-02-29T00:01:00Z"), null),
            ),
            readings
        )
    }

    @Test
    fun `a required parameter without a column fails naming both`() = runTest {
        crate.respond(Reply.json(200, """{"cols":["id"],"col_types":[10],"rows":[[1]],"rowcount":1,"duration":1.0}"""))

        val error = assertFailsWith<IllegalArgumentException> { db.query<Reading>("SELECT id FROM readings").toList() }

        assertTrue(error.message!!.contains("Reading.sensor"), error.message)
        assertTrue(error.message!!.contains("[id]"), error.message)
    }

    @Test
    fun `reified get converts, allows null only for nullable types, and names the column otherwise`() = runTest {
        crate.respond(
            Reply.json(200, """{"cols":["id","note"],"col_types":[9,4],"rows":[[42,null]],"rowcount":1,"duration":1.0}""")
        )

        val row = db.sql("SELECT id, note FROM t").first()

        assertEquals(42L, row.get<Long>("id"))
        assertEquals(42, row.get<Int>(0))
        assertEquals(null, row.get<String?>("note"))
        val error = assertFailsWith<NullPointerException> { row.get<String>("note") }
        assertTrue(error.message!!.contains("note"), error.message)
    }

    @Test
    fun `collection drives demand - a paused collector stops the server from producing`() = runTest {
        val produced = AtomicLong()
        crate.respond(Reply.streamed(GeneratedResult.body(MILLION, 1_000, produced)))

        val ids = mutableListOf<Long>()
        db.sql("SELECT * FROM big").take(20).collect { row ->
            ids += row.get<Long>("id")
            if (ids.size == 10) {
                // A negative check needs real time: half a second in which nobody asks for more rows.
                withContext(Dispatchers.Default) { delay(500) }
                assertTrue(produced.get() < MILLION / 4, "rows produced while the collector paused: ${produced.get()}")
            }
        }

        assertEquals((0L until 20L).toList(), ids)
        awaitNoOpenConnections()
    }

    @Test
    fun `cancelling the collection cancels the query and closes its connection`() = runTest {
        val produced = AtomicLong()
        crate.respond(Reply.streamed(GeneratedResult.body(MILLION, 1_000, produced)))

        val first = db.sql("SELECT * FROM big").first()

        assertEquals(0L, first.get<Long>("id"))
        // Not returned to the pool half-read: the connection is closed, so the server stops producing.
        awaitNoOpenConnections()
        assertTrue(produced.get() < MILLION)
    }

    @Test
    fun `the bulk writer takes a Flow and returns one outcome per item`() = runTest {
        crate.respond(Reply.transcript("bulk-partial-failure"))
        val writer = client.bulkWriter("INSERT INTO doc.t_bulk (id, v) VALUES (?, ?)") { item: Pair<Int, String> ->
            listOf(item.first, item.second)
        }.maxRows(3).build()

        val outcomes = writer.write(flowOf(4 to "d", 1 to "dup", 5 to "e")).toList()

        assertEquals(listOf(4 to "d", 1 to "dup", 5 to "e"), outcomes.map { it.item() })
        assertEquals(listOf(true, false, true), outcomes.map { it.isSuccess() })
        assertEquals(4091, outcomes[1].error().orElseThrow().code())
    }

    private companion object {
        const val MILLION = 1_000_000L
    }
}
