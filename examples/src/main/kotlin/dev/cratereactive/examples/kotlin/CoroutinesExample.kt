package dev.cratereactive.examples.kotlin

import dev.cratereactive.BulkResult
import dev.cratereactive.CrateClient
import dev.cratereactive.Row
import dev.cratereactive.examples.ExampleNodes
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.reactive.asFlow
import kotlinx.coroutines.reactor.awaitSingle
import kotlinx.coroutines.runBlocking

/** One reading; [celsius] may be absent. */
data class Reading(val id: Long, val sensor: String, val celsius: Double?)

/**
 * CrateDB from Kotlin coroutines: statements are `suspend` functions ([awaitSingle] on the client's `Mono`),
 * queries are cold [Flow]s ([asFlow] on the client's `Flux`) whose collection drives how much is read from CrateDB;
 * cancelling the collecting coroutine (or `take(n)`) cancels the query.
 */
class ReadingRepository(private val client: CrateClient, private val table: String = "kotlin_readings") {

    suspend fun createTable() {
        client.execute(
            "CREATE TABLE IF NOT EXISTS $table (id BIGINT PRIMARY KEY, sensor TEXT, celsius DOUBLE PRECISION)" +
                " WITH (number_of_replicas = 0)"
        ).awaitSingle()
    }

    /** Inserts in one bulk request; the result says which rows CrateDB rejected. */
    suspend fun insertAll(readings: List<Reading>): BulkResult =
        client.bulk(
            "INSERT INTO $table (id, sensor, celsius) VALUES (?, ?, ?)",
            readings.map { listOf(it.id, it.sensor, it.celsius) }
        ).awaitSingle()

    /** Makes what was written so far visible to queries. */
    suspend fun refresh() {
        client.execute("REFRESH TABLE $table").awaitSingle()
    }

    /** The readings above [celsius], lowest id first, as they arrive. */
    fun warmerThan(celsius: Double): Flow<Reading> =
        client.sql("SELECT id, sensor, celsius FROM $table WHERE celsius > ? ORDER BY id", celsius)
            .asFlow()
            .map(::toReading)

    suspend fun dropTable() {
        client.execute("DROP TABLE IF EXISTS $table").awaitSingle()
    }

    private fun toReading(row: Row) = Reading(
        // Row.get is @Nullable (JSpecify): these columns are never NULL in this table.
        id = row.get("id", Long::class.javaObjectType)!!,
        sensor = row.get("sensor", String::class.java)!!,
        celsius = row.get("celsius", Double::class.javaObjectType),
    )
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
