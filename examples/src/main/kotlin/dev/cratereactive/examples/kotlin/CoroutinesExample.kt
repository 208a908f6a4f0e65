package dev.cratereactive.examples.kotlin

import dev.cratereactive.BulkResult
import dev.cratereactive.CrateClient
import dev.cratereactive.examples.ExampleNodes
import dev.cratereactive.kotlin.coroutines
import dev.cratereactive.kotlin.query
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.runBlocking

/** One reading; [celsius] may be absent. */
data class Reading(val id: Long, val sensor: String, val celsius: Double?)

/**
 * CrateDB from Kotlin coroutines through crate-reactive-kotlin: statements are `suspend` functions, queries are cold
 * [Flow]s whose collection drives how much is read from CrateDB, rows map to [Reading] by column name;
 * cancelling the collecting coroutine (or `take(n)`) cancels the query.
 */
class ReadingRepository(client: CrateClient, private val table: String = "kotlin_readings") {

    private val db = client.coroutines()

    suspend fun createTable() {
        db.execute(
            "CREATE TABLE IF NOT EXISTS $table (id BIGINT PRIMARY KEY, sensor TEXT, celsius DOUBLE PRECISION)" +
                " WITH (number_of_replicas = 0)"
        )
    }

    /** Inserts in one bulk request; the result says which rows CrateDB rejected. */
    suspend fun insertAll(readings: List<Reading>): BulkResult =
        db.bulk("INSERT INTO $table (id, sensor, celsius) VALUES (?, ?, ?)", readings.map { listOf(it.id, it.sensor, it.celsius) })

    /** Makes what was written so far visible to queries. */
    suspend fun refresh() {
        db.execute("REFRESH TABLE $table")
    }

    /** The readings above [celsius], lowest id first, as they arrive. */
    fun warmerThan(celsius: Double): Flow<Reading> =
        db.query<Reading>("SELECT id, sensor, celsius FROM $table WHERE celsius > ? ORDER BY id", celsius)

    suspend fun dropTable() {
        db.execute("DROP TABLE IF EXISTS $table")
    }
}

/** `mvn -q -pl examples exec:java@kotlin`: against CrateDB as every example finds it (see [ExampleNodes]). */
fun main() = ExampleNodes.runAndExit { nodes -> runBlocking { runExample(nodes) } } // kotlinc sees the Java sources

/** Creates a table, inserts 100 readings in one bulk request, collects the warm ones as a [Flow], drops the table. */
suspend fun runExample(nodes: List<String>) {
    CrateClient.builder().nodes(nodes).build().use { client ->
        val readings = ReadingRepository(client)
        readings.createTable()
        try {
            val result = readings.insertAll((1L..100L).map { Reading(it, "sensor-${it % 3}", 10.0 + it % 25) })
            println("Inserted ${result.results().size - result.failedCount()} readings, ${result.failedCount()} failed")
            readings.refresh()
            readings.warmerThan(32.0).collect { println("  warm: $it") }
        } finally {
            readings.dropTable()
        }
    }
}
