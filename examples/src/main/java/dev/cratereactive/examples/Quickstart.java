package dev.cratereactive.examples;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import reactor.core.publisher.Mono;

/**
 * The first program to run: connects to CrateDB, creates a table, inserts 1,000 rows in one bulk request, streams
 * two queries and prints their rows as they arrive, then drops the table again.
 *
 * <pre>mvn -q install -DskipTests &amp;&amp; mvn -q -pl examples exec:java</pre>
 *
 * CrateDB is {@code CRATEDB_URL}, else {@code http://localhost:4200}, else a container it starts with
 * Testcontainers when Docker runs (and stops at the end); see {@link ExampleNodes}. With none of these it exits
 * with status 2 within a few seconds, saying how to get a CrateDB.
 */
public final class Quickstart {

    /** The table the quickstart creates and drops. */
    static final String TABLE = "quickstart_readings";
    static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE
        + " (id INTEGER PRIMARY KEY, sensor TEXT, celsius DOUBLE PRECISION, taken_at TIMESTAMP WITH TIME ZONE)"
        + " WITH (number_of_replicas = 0)";
    static final String INSERT = "INSERT INTO " + TABLE + " (id, sensor, celsius, taken_at) VALUES (?, ?, ?, ?)";
    static final String REFRESH = "REFRESH TABLE " + TABLE;
    static final String PER_SENSOR = "SELECT sensor, count(*) AS readings, avg(celsius) AS avg_celsius, max(celsius) AS max_celsius"
        + " FROM " + TABLE + " GROUP BY sensor ORDER BY sensor";
    static final String WARMEST = "SELECT id, sensor, celsius, taken_at FROM " + TABLE + " ORDER BY celsius DESC, id LIMIT ?";
    static final String DROP = "DROP TABLE IF EXISTS " + TABLE;
    static final int ROWS = 1_000;
    static final List<String> SENSORS = List.of("cellar", "kitchen", "garden", "attic");

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant START = Instant.parse("2024-02-29T00:00:00Z");

    private Quickstart() {
    }

    /**
     * @param args none
     * @throws Exception when the example fails (the container, if one was started, is stopped first)
     */
    public static void main(String[] args) throws Exception {
        ExampleNodes.runAndExit(nodes -> run(nodes, System.out));
    }

    /**
     * @param nodes the CrateDB nodes
     * @param out where the results go
     */
    static void run(List<String> nodes, PrintStream out) {
        out.println("Connecting to " + String.join(", ", ExampleNodes.redact(nodes)));
        try (CrateClient client = CrateClient.builder().nodes(nodes).build()) {
            // usingWhen: whatever happens in between, the table is dropped at the end.
            Mono.usingWhen(
                    client.execute(CREATE).doOnNext(created -> out.println("Created table " + TABLE)),
                    created -> insertAndQuery(client, out),
                    created -> client.execute(DROP).doOnNext(dropped -> out.println("Dropped table " + TABLE)))
                .block(TIMEOUT);
        }
    }

    private static Mono<Void> insertAndQuery(CrateClient client, PrintStream out) {
        List<List<Object>> rows = IntStream.range(0, ROWS).mapToObj(Quickstart::reading).toList();
        return client.bulk(INSERT, rows)
            .doOnNext(result -> out.printf(Locale.ROOT, "Inserted %d rows in one bulk request (%d failed, server took %d ms)%n",
                result.results().size() - result.failedCount(), result.failedCount(), result.duration().toMillis()))
            .doOnNext(result -> reportFailures(result, out))
            // CrateDB makes writes visible to reads on refresh (every second by default); do it now.
            .then(client.execute(REFRESH))
            .then(Mono.fromRunnable(() -> out.println("Readings per sensor:")))
            .thenMany(client.sql(PER_SENSOR))
            .doOnNext(row -> out.printf(Locale.ROOT, "  %-8s %4d readings, avg %5.2f °C, max %5.2f °C%n",
                row.get("sensor"), row.get("readings", Long.class), row.get("avg_celsius", Double.class),
                row.get("max_celsius", Double.class)))
            .then(Mono.fromRunnable(() -> out.println("The three warmest:")))
            .thenMany(client.sql(WARMEST, 3))
            .doOnNext(row -> out.printf(Locale.ROOT, "  #%-4d %-8s %5.2f °C at %s%n",
                row.get("id", Integer.class), row.get("sensor"), row.get("celsius", Double.class), row.get("taken_at")))
            .then();
    }

    private static void reportFailures(BulkResult result, PrintStream out) {
        List<BulkResult.RowResult> results = result.results();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).failed()) {
                out.println("  row " + i + " failed: " + results.get(i).error().map(Object::toString).orElse("no reason given"));
            }
        }
    }

    /** A deterministic reading: sensor by turns, a temperature that wanders between about 5 and 30 °C. */
    static List<Object> reading(int id) {
        String sensor = SENSORS.get(id % SENSORS.size());
        double celsius = Math.round((17.5 + 12.5 * Math.sin(id / 37.0) + (id % SENSORS.size())) * 100) / 100.0;
        return List.of(id, sensor, celsius, START.plus(Duration.ofMinutes(id)));
    }
}
