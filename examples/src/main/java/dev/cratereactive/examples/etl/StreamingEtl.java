package dev.cratereactive.examples.etl;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import dev.cratereactive.examples.ExampleNodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Loads a CSV file into CrateDB as a stream: the file is read lazily, line by line, only as fast as CrateDB takes
 * the rows (never loaded whole); rows go out in bulk requests of {@code batchSize}, at most {@code concurrency} at
 * a time; progress (rows, rows/s) is reported while it runs; and every row CrateDB rejected is reported with its
 * line number and CrateDB's error, from the per-row results of each bulk request.
 *
 * <p>The CSV has a header line and the columns {@code id,sensor,celsius,taken_at}
 * ({@code 1,kitchen,21.5,2024-02-29T12:00:00Z}); lines that do not parse are reported and not sent.
 *
 * <pre>mvn -q -pl examples exec:java@etl                                  # generates 100,000 sample rows
 * mvn -q -pl examples exec:java@etl -Dexec.args=/path/to/readings.csv    # your own file</pre>
 */
public final class StreamingEtl {

    /** Default rows per bulk request. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    /** Default bulk requests in flight. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** The table {@link #main} loads into (created, and dropped at the end). */
    static final String TABLE = "etl_readings";

    private final CrateClient client;
    private final String insert;
    private final int batchSize;
    private final int concurrency;

    /**
     * @param client the client
     * @param table the target table, with columns {@code id, sensor, celsius, taken_at}
     * @param batchSize rows per bulk request, positive
     * @param concurrency bulk requests in flight at most, positive
     */
    public StreamingEtl(CrateClient client, String table, int batchSize, int concurrency) {
        if (batchSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException("batchSize and concurrency must be positive, were " + batchSize + " and "
                + concurrency);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.insert = "INSERT INTO " + table + " (id, sensor, celsius, taken_at) VALUES (?, ?, ?, ?)";
        this.batchSize = batchSize;
        this.concurrency = concurrency;
    }

    /**
     * Where the load stands, after each completed bulk request.
     *
     * @param linesRead data lines read from the file so far
     * @param rowsInserted rows CrateDB stored
     * @param rowsFailed rows rejected (by CrateDB or unparseable)
     * @param elapsed time since the load started
     */
    public record Progress(long linesRead, long rowsInserted, long rowsFailed, Duration elapsed) {

        /** @return rows handled (inserted or failed) per second so far */
        public double rowsPerSecond() {
            long millis = Math.max(1, elapsed.toMillis());
            return (rowsInserted + rowsFailed) * 1000.0 / millis;
        }
    }

    /**
     * A row that was not stored.
     *
     * @param lineNumber its line in the file (the header is line 1)
     * @param line the line's text
     * @param errorCode CrateDB's error code, or 0 when the line did not parse and was not sent
     * @param message why
     */
    public record FailedRow(long lineNumber, String line, int errorCode, String message) {
    }

    /**
     * The outcome of a load.
     *
     * @param linesRead data lines read (every line but the header)
     * @param rowsInserted rows CrateDB stored
     * @param failures rows not stored, by line number
     * @param elapsed the load's duration
     */
    public record Report(long linesRead, long rowsInserted, List<FailedRow> failures, Duration elapsed) {

        /** @return rows per second over the whole load */
        public double rowsPerSecond() {
            return linesRead * 1000.0 / Math.max(1, elapsed.toMillis());
        }
    }

    /**
     * @param csv the file
     * @param progress called after each bulk request completes (on a client thread: keep it short)
     * @return the report, when every row was sent and answered; the file is closed however the load ends
     */
    public Mono<Report> load(Path csv, Consumer<Progress> progress) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            AtomicLong linesRead = new AtomicLong();
            AtomicLong inserted = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            List<FailedRow> failures = new ArrayList<>();

            Flux<Line> lines = Flux.using(
                    () -> Files.newBufferedReader(csv, StandardCharsets.UTF_8),
                    reader -> Flux.fromStream(reader.lines()),
                    StreamingEtl::closeQuietly)
                .index((index, text) -> new Line(index + 1, text))
                .skip(1) // header
                .doOnNext(line -> linesRead.incrementAndGet())
                // Reading is blocking I/O: keep it (and the requests for more lines) off the client's event loop.
                .subscribeOn(Schedulers.boundedElastic());

            return lines
                .map(StreamingEtl::parse)
                .filter(line -> {
                    if (line.problem() != null) {
                        failed.incrementAndGet();
                        synchronized (failures) {
                            failures.add(new FailedRow(line.number(), line.text(), 0, line.problem()));
                        }
                        return false;
                    }
                    return true;
                })
                .buffer(batchSize)
                .flatMap(batch -> client.bulk(insert, batch.stream().map(Line::parameters).toList())
                    .map(result -> new Outcome(batch, result)), concurrency)
                .doOnNext(outcome -> {
                    List<FailedRow> rejected = outcome.rejected();
                    inserted.addAndGet(outcome.batch().size() - rejected.size());
                    failed.addAndGet(rejected.size());
                    synchronized (failures) {
                        failures.addAll(rejected);
                    }
                    progress.accept(new Progress(linesRead.get(), inserted.get(), failed.get(),
                        Duration.ofNanos(System.nanoTime() - started)));
                })
                .then(Mono.fromSupplier(() -> {
                    List<FailedRow> sorted;
                    synchronized (failures) {
                        sorted = failures.stream().sorted(Comparator.comparingLong(FailedRow::lineNumber)).toList();
                    }
                    return new Report(linesRead.get(), inserted.get(), sorted, Duration.ofNanos(System.nanoTime() - started));
                }));
        });
    }

    /** One line of the file; {@code parameters} when it parsed, {@code problem} when not. */
    private record Line(long number, String text, List<Object> parameters, String problem) {
        Line(long number, String text) {
            this(number, text, null, null);
        }
    }

    /** One bulk request's rows and CrateDB's answer. */
    private record Outcome(List<Line> batch, BulkResult result) {
        List<FailedRow> rejected() {
            List<FailedRow> rejected = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                BulkResult.RowResult row = result.results().get(i);
                if (row.failed()) {
                    CrateError error = row.error().orElse(new CrateError(0, "rejected without a reason"));
                    rejected.add(new FailedRow(batch.get(i).number(), batch.get(i).text(), error.code(), error.message()));
                }
            }
            return rejected;
        }
    }

    private static Line parse(Line line) {
        String[] fields = line.text().split(",", -1);
        if (fields.length != 4) {
            return new Line(line.number(), line.text(), null, "expected 4 fields (id,sensor,celsius,taken_at), found "
                + fields.length);
        }
        try {
            List<Object> parameters = List.of(Long.parseLong(fields[0].trim()), fields[1].trim(),
                Double.parseDouble(fields[2].trim()), Instant.parse(fields[3].trim()));
            return new Line(line.number(), line.text(), parameters, null);
        } catch (RuntimeException e) {
            return new Line(line.number(), line.text(), null, "cannot parse: " + e.getMessage());
        }
    }

    private static void closeQuietly(BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing left to read anyway
        }
    }

    /**
     * Loads the file named by the first argument, or 100,000 generated rows (with a few duplicate ids and one broken
     * line, to show the failure report), into {@value #TABLE}, then drops the table.
     *
     * @param args optional: the CSV file
     * @throws Exception if the sample file cannot be written, or the load fails
     */
    public static void main(String[] args) throws Exception {
        ExampleNodes.runAndExit(nodes -> run(nodes, args)); // CrateDB as every example finds it (see ExampleNodes)
    }

    private static void run(List<String> nodes, String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : writeSample(100_000);
        PrintStream out = System.out;
        out.println("Loading " + file + " into " + TABLE + " (batches of " + DEFAULT_BATCH_SIZE + ", "
            + DEFAULT_CONCURRENCY + " in flight)");
        try (CrateClient client = CrateClient.builder().nodes(nodes).build()) {
            client.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, sensor TEXT,"
                + " celsius DOUBLE PRECISION, taken_at TIMESTAMP WITH TIME ZONE) WITH (number_of_replicas = 0)")
                .block(Duration.ofSeconds(60));
            try {
                Report report = new StreamingEtl(client, TABLE, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY)
                    .load(file, throttled(Duration.ofSeconds(1), progress -> out.printf(Locale.ROOT,
                        "  %,10d lines read, %,10d inserted, %,6d failed, %,9.0f rows/s%n", progress.linesRead(),
                        progress.rowsInserted(), progress.rowsFailed(), progress.rowsPerSecond())))
                    .block();
                print(Objects.requireNonNull(report), out);
                client.execute("REFRESH TABLE " + TABLE).block(Duration.ofSeconds(60));
                Object count = client.sql("SELECT count(*) AS n FROM " + TABLE).blockFirst(Duration.ofSeconds(60)).get("n");
                out.println(TABLE + " now holds " + count + " rows");
            } finally {
                client.execute("DROP TABLE IF EXISTS " + TABLE).block(Duration.ofSeconds(60));
                out.println("Dropped " + TABLE);
            }
        }
    }

    static void print(Report report, PrintStream out) {
        out.printf(Locale.ROOT, "Done: %,d lines, %,d inserted, %,d failed in %.1f s (%,.0f rows/s)%n", report.linesRead(),
            report.rowsInserted(), report.failures().size(), report.elapsed().toMillis() / 1000.0, report.rowsPerSecond());
        report.failures().stream().limit(10).forEach(failure -> out.printf(Locale.ROOT, "  line %d: %s%s -- %s%n",
            failure.lineNumber(), failure.errorCode() == 0 ? "" : "[" + failure.errorCode() + "] ", failure.message(),
            failure.line()));
        if (report.failures().size() > 10) {
            out.println("  ... and " + (report.failures().size() - 10) + " more");
        }
    }

    /** @return a listener that passes at most one progress report per interval on to {@code target} */
    static Consumer<Progress> throttled(Duration interval, Consumer<Progress> target) {
        AtomicLong next = new AtomicLong(System.nanoTime() + interval.toNanos());
        return progress -> {
            long now = System.nanoTime();
            long due = next.get();
            if (now - due >= 0 && next.compareAndSet(due, now + interval.toNanos())) {
                target.accept(progress);
            }
        };
    }

    /**
     * @param rows data rows to generate
     * @return a temporary CSV with those rows, where every 20,000th repeats an earlier id and one line is broken
     */
    static Path writeSample(int rows) {
        try {
            Path file = Files.createTempFile("crate-reactive-etl-", ".csv");
            file.toFile().deleteOnExit();
            try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                writer.write("id,sensor,celsius,taken_at\n");
                Instant start = Instant.parse("2024-02-29T00:00:00Z");
                String[] sensors = {"cellar", "kitchen", "garden", "attic"};
                for (int i = 1; i <= rows; i++) {
                    long id = i % 20_000 == 0 ? i - 1 : i; // a duplicate id now and then
                    if (i == rows / 2) {
                        writer.write("broken line without the expected fields\n");
                        continue;
                    }
                    writer.write(id + "," + sensors[i % sensors.length] + ","
                        + String.format(Locale.ROOT, "%.2f", 17.5 + 12.5 * Math.sin(i / 37.0)) + ","
                        + start.plusSeconds(i) + "\n");
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample CSV", e);
        }
    }
}
