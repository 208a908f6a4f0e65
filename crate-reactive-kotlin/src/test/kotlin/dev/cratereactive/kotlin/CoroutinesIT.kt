package dev.cratereactive.kotlin

import dev.cratereactive.testing.CrateDb
import dev.cratereactive.testing.RealCrateDb
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds

/** The coroutine API against a real CrateDB. */
@RealCrateDb
class CoroutinesIT {

    @Test
    fun `create, bulk insert, query as data classes and as rows, against CrateDB`(crateDb: CrateDb) = runTest(timeout = 60.seconds) {
        val table = crateDb.newTable("kotlin_readings")
        val db = crateDb.client().coroutines()
        db.execute("CREATE TABLE $table (id BIGINT PRIMARY KEY, sensor TEXT, taken_at TIMESTAMP WITH TIME ZONE, celsius DOUBLE) WITH (number_of_replicas = 0)")
        val start = Instant.parse("2024-02-29T00:00:00Z")

        val inserted = db.bulk(
            "INSERT INTO $table (id, sensor, taken_at, celsius) VALUES (?, ?, ?, ?)",
            (1L..500L).map { listOf(it, "s${it % 3}", start.plusSeconds(it), if (it % 10 == 0L) null else it * 0.5) }
        )
        db.execute("REFRESH TABLE $table")

        assertEquals(0L, inserted.failedCount())
        val readings = db.query<Reading>("SELECT id, sensor, taken_at, celsius FROM $table WHERE id <= ? ORDER BY id", 10).toList()
        assertEquals(Reading(1, "s1", start.plusSeconds(1), 0.5), readings.first())
        assertEquals(Reading(10, "s1", start.plusSeconds(10), null), readings.last())
        assertEquals(10, readings.size)
        val firstIds = db.sql("SELECT id FROM $table ORDER BY id").take(3).map { it.get<Long>("id") }.toList()
        assertEquals(listOf(1L, 2L, 3L), firstIds)
        assertEquals(500L, db.sql("SELECT count(*) AS n FROM $table").toList().single().get<Long>("n"))
    }

    @Test
    fun `a session's SET SESSION holds for its later statements and for nothing else`(crateDb: CrateDb) = runTest(timeout = 60.seconds) {
        val db = crateDb.client().coroutines()
        val schema = crateDb.uniqueName("kotlin_session")

        val inSession = db.session { session ->
            session.execute("SET SESSION search_path TO $schema")
            session.sql("SHOW search_path").toList().single().get<String>("search_path")
        }
        val outside = db.sql("SHOW search_path").toList().single().get<String>("search_path")

        assertTrue(inSession.startsWith(schema), inSession)
        assertTrue(!outside.contains(schema), outside)
    }
}
