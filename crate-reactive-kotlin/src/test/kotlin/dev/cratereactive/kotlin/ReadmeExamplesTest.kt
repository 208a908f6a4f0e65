package dev.cratereactive.kotlin

import dev.cratereactive.CrateClient
import dev.cratereactive.testing.CrateTestServer
import dev.cratereactive.testing.Reply
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals

/** The README's Kotlin section, run against the in-process CrateDB stand-in. */
class ReadmeExamplesTest {

    @Test
    fun `the README snippet runs`() = runTest {
        CrateTestServer.start().use { crate ->
            crate.respond { request ->
                when {
                    request.statement().startsWith("CREATE") -> Reply.json(200, """{"cols":[],"rowcount":1,"duration":1.0}""")
                    request.statement().startsWith("INSERT") -> Reply.transcript("bulk-success")
                    request.statement().startsWith("SELECT id") -> Reply.json(
                        200,
                        """{"cols":["id","sensor","taken_at","celsius"],"col_types":[10,4,11,6],
                           "rows":[[7,"attic",1709164800000,33.0]],"rowcount":1,"duration":1.0}"""
                    )
                    else -> Reply.json(200, """{"cols":["n"],"col_types":[10],"rows":[[3]],"rowcount":1,"duration":1.0}""")
                }
            }
            val url = crate.url()
            val printed = mutableListOf<String>()
            fun println(line: Any) { printed += line.toString() }
            val now = Instant.parse("2024-02-29T00:00:00Z")

            // README: from here
            CrateClient.create(url).use { client ->
                val db = client.coroutines()
                db.execute("CREATE TABLE IF NOT EXISTS readings (id BIGINT PRIMARY KEY, sensor TEXT, taken_at TIMESTAMP WITH TIME ZONE, celsius DOUBLE)")
                val inserted = db.bulk(
                    "INSERT INTO readings (id, sensor, taken_at, celsius) VALUES (?, ?, ?, ?)",
                    listOf(listOf(1, "attic", now, 21.5), listOf(2, "cellar", now, null), listOf(7, "attic", now, 33.0))
                )
                println("${inserted.failedCount()} rows failed")

                // data class Reading(val id: Long, val sensor: String, val takenAt: Instant, val celsius: Double?)
                val warm: Flow<Reading> = db.query<Reading>("SELECT id, sensor, taken_at, celsius FROM readings WHERE celsius > ?", 30.0)
                warm.take(10).collect { println(it) }       // demand follows collection; take() cancels the query

                val count = db.sql("SELECT count(*) AS n FROM readings").first().get<Long>("n")
                println("$count readings")

                val inSession = db.session { session ->      // one connection of its own: the SET holds for the query
                    session.execute("SET SESSION statement_timeout = '5s'")
                    session.sql("SELECT count(*) AS n FROM readings").first().get<Long>("n")
                }                                             // closed (never pooled) before session returns
                println("$inSession readings, counted in a session")
            }
            // README: to here

            assertEquals(listOf("0 rows failed", Reading(7, "attic", now, 33.0).toString(), "3 readings", "3 readings, counted in a session"), printed)
        }
    }
}
