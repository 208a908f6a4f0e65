package dev.cratereactive.examples.kotlin

import dev.cratereactive.CrateClient
import dev.cratereactive.examples.CrateResponses
import dev.cratereactive.testing.CrateTestServer
import dev.cratereactive.testing.Reply
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.reactor.awaitSingle
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals

/** The coroutine repository against an in-process CrateDB answering with CrateDB 6.4.3's response bodies. */
class ReadingRepositoryTest {

    private val crate = CrateTestServer.start()
    private val client = CrateClient.create(crate.url())
    private val repository = ReadingRepository(client, "readings")

    private val warmerThan = "SELECT id, sensor, celsius FROM readings WHERE celsius > ? ORDER BY id"
    private val insert = "INSERT INTO readings (id, sensor, celsius) VALUES (?, ?, ?)"

    @AfterEach
    fun close() {
        client.close()
        crate.close()
    }

    @Test
    fun `a query is a Flow of rows mapped to data classes`() = runBlocking {
        crate.respond { request ->
            when (request.statement()) {
                warmerThan -> CrateResponses.rows(
                    listOf("id", "sensor", "celsius"), listOf(10, 4, 6),
                    "[4,\"sensor-1\",33.0]", "[9,\"sensor-0\",34.5]", "[11,\"sensor-2\",null]"
                )
                else -> unexpected()
            }
        }

        val warm = withTimeout(10_000) { repository.warmerThan(32.0).toList() }

        assertEquals(
            listOf(Reading(4, "sensor-1", 33.0), Reading(9, "sensor-0", 34.5), Reading(11, "sensor-2", null)),
            warm
        )
        assertEquals("[32.0]", crate.requests().single().json().path("args").toString())
    }

    @Test
    fun `taking the first element cancels the rest of the query`() = runBlocking {
        crate.respond { request ->
            when (request.statement()) {
                warmerThan -> CrateResponses.rows(
                    listOf("id", "sensor", "celsius"), listOf(10, 4, 6),
                    *Array(5_000) { "[$it,\"sensor-${it % 3}\",40.0]" }
                )
                "SELECT 1 AS one" -> CrateResponses.rows(listOf("one"), listOf(9), "[1]")
                else -> unexpected()
            }
        }

        val first = withTimeout(10_000) { repository.warmerThan(32.0).first() }

        assertEquals(Reading(0, "sensor-0", 40.0), first)
        // The cancelled query's connection is not reused half-read: the next statement gets a clean answer.
        val one = withTimeout(10_000) { client.sql("SELECT 1 AS one").collectList().awaitSingle() }
        assertEquals(listOf<Any?>(1), one.map { it.get("one") })
    }

    @Test
    fun `suspending bulk insert reports the rejected rows`() = runBlocking {
        crate.respond { request ->
            when (request.statement()) {
                insert -> CrateResponses.bulk(listOf(false, true, false))
                else -> unexpected()
            }
        }

        val result = withTimeout(10_000) {
            repository.insertAll(listOf(Reading(1, "a", 1.5), Reading(2, "b", null), Reading(3, "c", 3.0)))
        }

        assertEquals(listOf(1L, -2L, 1L), result.results().map { it.rowCount() })
        assertEquals(4091, result.results()[1].error().orElseThrow().code())
        assertEquals(
            "[[1,\"a\",1.5],[2,\"b\",null],[3,\"c\",3.0]]",
            crate.requests().single().json().path("bulk_args").toString()
        )
    }

    private fun unexpected(): Reply =
        Reply.json(400, "{\"error\":{\"message\":\"SQLParseException[unexpected]\",\"code\":4000}}")
}
