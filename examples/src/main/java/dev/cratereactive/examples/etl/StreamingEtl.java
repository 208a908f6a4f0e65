package dev.cratereactive.examples.etl;

import dev.cratereactive.BulkWriter;
import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateError;
import dev.cratereactive.examples.ExampleNodes;
import java.io.BufferedReader;
import java.io.BufferedWriter;
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
 * Loads a CSV file into CrateDB as a stream with a {@link BulkWriter}: the file is read lazily, line by line, only
 * as fast as CrateDB answers (the writer never holds more than {@code concurrency × batchSize + batchSize} rows,
 * whatever the file's size); rows go out in bulk requests of {@code batchSize}, at most {@code concurrency} at a
 * time; rows that hit a shard being relocated (5002) are resent by the writer; progress (rows/s, written, failed,
 * retried) is reported while it runs; and every row not stored goes to a reject file with its line number and
 * CrateDB's error code.
 *
 * <p>The CSV has a header line and the columns {@code id,sensor,celsius,taken_at}
 * ({@code 1,kitchen,21.5,2024-02-29T12:00:00Z}); lines that do not parse are rejected (code 0) and not sent.
 *
 * <pre>mvn -q -pl examples exec:java@etl                                  # generates 1,000,000 sample rows
 * mvn -q -pl examples exec:java@etl -Dexec.args=/path/to/readings.csv    # your own file</pre>
 */
public final class StreamingEtl {

    /** Default rows per bulk request. */
    public static final int DEFAULT_BATCH_SIZE = BulkWriter.DEFAULT_MAX_ROWS;
    /** Default bulk requests in flight. */
    public static final int DEFAULT_CONCURRENCY = BulkWriter.DEFAULT_MAX_IN_FLIGHT;
    /** How many rejected rows a {@link Report} keeps in memory (all of them go to the reject file). */
    public static final int REPORTED_FAILURES = 10;
    /** The table {@link #main} loads into (created, and dropped at the end). */
    static final String TABLE = "etl_readings";

    private final BulkWriter<Line> writer;

    /**
     * @param client the client
     * @param table the target table, with columns {@code id, sensor, celsius, taken_at}
     * @param batchSize rows per bulk request, positive
     * @param concurrency bulk requests in flight at most, positive
     * @throws IllegalArgumentException naming the writer option when {@code batchSize} or {@code concurrency} is
     *     not positive
     */
    public StreamingEtl(CrateClient client, String table, int batchSize, int concurrency) {
        this.writer = Objects.requireNonNull(client, "client")
            .<Line>bulkWriter("INSERT INTO " + table + " (id, sensor, celsius, taken_at) VALUES (?, ?, ?, ?)",
                Line::parameters)
            .maxRows(batchSize)
            .maxInFlight(concurrency)
            .build();
    }

    /**
     * Where the load stands.
     *
     * @param linesRead data lines read from the file so far
     * @param rowsInserted rows CrateDB stored
     * @param rowsFailed rows not stored (rejected by CrateDB, outcome unknown, or unparseable)
     * @param rowsRetried rows that needed more than one request (stored or not)
     * @param elapsed time since the load started
     */
    public record Progress(long linesRead, long rowsInserted, long rowsFailed, long rowsRetried, Duration elapsed) {

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

        /** @return the row as a line of the reject file: {@code line,error_code,"message","original line"} */
        String toCsv() {
            return lineNumber + "," + errorCode + "," + quote(message) + "," + quote(line);
        }

        private static String quote(String text) {
            return '"' + text.replace("\"", "\"\"").replace('\n', ' ') + '"';
        }
    }

    /**
     * The outcome of a load.
     *
     * @param linesRead data lines read (every line but the header)
     * @param rowsInserted rows CrateDB stored
     * @param rowsFailed rows not stored; each is a line of the reject file
     * @param rowsRetried rows that needed more than one request
     * @param firstFailures the first {@value #REPORTED_FAILURES} rows not stored, by line number
     * @param elapsed the load's duration
     */
    public record Report(long linesRead, long rowsInserted, long rowsFailed, long rowsRetried,
                         List<FailedRow> firstFailures, Duration elapsed) {

        /** @return rows per second over the whole load */
        public double rowsPerSecond() {
            return linesRead * 1000.0 / Math.max(1, elapsed.toMillis());
        }
    }

    /**
     * @param csv the file
     * @param rejects where rows not stored go ({@code line,error_code,error,original}, with a header), replaced
     * @param progress called after each row's outcome (on a client thread: keep it short; see {@link #throttled})
     * @return the report, when every row was sent and answered; both files are closed however the load ends
     */
    public Mono<Report> load(Path csv, Path rejects, Consumer<Progress> progress) {
        return Mono.using(() -> new Rejects(rejects), rejected -> Mono.defer(() -> {
            long started = System.nanoTime();
            AtomicLong linesRead = new AtomicLong();
            AtomicLong inserted = new AtomicLong();
            AtomicLong retried = new AtomicLong();

            Flux<Line> lines = Flux.using(
                    () -> Files.newBufferedReader(csv, StandardCharsets.UTF_8),
                    reader -> Flux.fromStream(reader.lines()),
                    StreamingEtl::closeQuietly)
                .index((index, text) -> new Line(index + 1, text))
                .skip(1) // header
                .doOnNext(line -> linesRead.incrementAndGet())
                // Reading is blocking I/O: keep it (and the requests for more lines) off the client's event loop.
                .subscribeOn(Schedulers.boundedElastic());

            Flux<Line> parsed = lines
                .map(StreamingEtl::parse)
                .filter(line -> {
                    if (line.problem() != null) {
                        rejected.add(new FailedRow(line.number(), line.text(), 0, line.problem()));
                        return false;
                    }
                    return true;
                });

            return writer.write(parsed)
                .doOnNext(outcome -> {
                    if (outcome.attempts() > 1) {
                        retried.incrementAndGet();
                    }
                    if (outcome.isSuccess()) {
                        inserted.incrementAndGet();
                    } else {
                        CrateError error = outcome.error().orElseThrow();
                        Line line = outcome.item();
                        rejected.add(new FailedRow(line.number(), line.text(), error.code(), error.message()));
                    }
                    progress.accept(new Progress(linesRead.get(), inserted.get(), rejected.count(), retried.get(),
                        Duration.ofNanos(System.nanoTime() - started)));
                })
                .then(Mono.fromSupplier(() -> new Report(linesRead.get(), inserted.get(), rejected.count(),
                    retried.get(), rejected.first(), Duration.ofNanos(System.nanoTime() - started))));
        }), Rejects::close);
    }

    /** One line of the file; {@code parameters} when it parsed, {@code problem} when not. */
    record Line(long number, String text, List<Object> parameters, String problem) {
        Line(long number, String text) {
            this(number, text, null, null);
        }
    }

    /** The reject file, and the first few rejected rows for the report. Outcomes arrive on several threads. */
    private static final class Rejects implements AutoCloseable {
        private final BufferedWriter out;
        private final List<FailedRow> first = new ArrayList<>();
        private long count;

        Rejects(Path file) throws IOException {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write("line,error_code,error,original\n");
        }

        synchronized void add(FailedRow row) {
            count++;
            if (first.size() < REPORTED_FAILURES) {
                first.add(row);
            }
            try {
                out.write(row.toCsv());
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the reject file", e);
            }
        }

        synchronized long count() {
            return count;
        }

        synchronized List<FailedRow> first() {
            return first.stream().sorted(Comparator.comparingLong(FailedRow::lineNumber)).toList();
        }

        @Override
        public synchronized void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the reject file", e);
            }
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
     * Loads the file named by the first argument, or 1,000,000 generated rows (with a few duplicate ids and one
     * broken line, to show the reject file), into {@value #TABLE}, then drops the table. Rejected rows go to the
     * file named by the second argument, or {@code etl-rejects.csv} in the working directory.
     *
     * @param args optional: the CSV file, the reject file
     * @throws Exception if the sample file cannot be written, or the load fails
     */
    public static void main(String[] args) throws Exception {
        ExampleNodes.runAndExit(nodes -> run(nodes, args)); // CrateDB as every example finds it (see ExampleNodes)
    }

    private static void run(List<String> nodes, String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : writeSample(1_000_000);
        Path rejects = Path.of(args.length > 1 ? args[1] : "etl-rejects.csv");
        PrintStream out = System.out;
        out.println("Loading " + file + " into " + TABLE + " (batches of " + DEFAULT_BATCH_SIZE + ", "
            + DEFAULT_CONCURRENCY + " in flight); rejected rows go to " + rejects);
        try (CrateClient client = CrateClient.builder().nodes(nodes).build()) {
            client.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY, sensor TEXT,"
                + " celsius DOUBLE PRECISION, taken_at TIMESTAMP WITH TIME ZONE) WITH (number_of_replicas = 0)")
                .block(Duration.ofSeconds(60));
            try {
                Report report = new StreamingEtl(client, TABLE, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY)
                    .load(file, rejects, throttled(Duration.ofSeconds(1), progress -> out.println(progressLine(progress))))
                    .block();
                print(Objects.requireNonNull(report), rejects, out);
                client.execute("REFRESH TABLE " + TABLE).block(Duration.ofSeconds(60));
                Object count = client.sql("SELECT count(*) AS n FROM " + TABLE).blockFirst(Duration.ofSeconds(60)).get("n");
                out.println(TABLE + " now holds " + count + " rows");
            } finally {
                client.execute("DROP TABLE IF EXISTS " + TABLE).block(Duration.ofSeconds(60));
                out.println("Dropped " + TABLE);
            }
        }
    }

    /** @return e.g. {@code "   412,000 read,    411,958 written,     21 failed,    3 retried,    52,310 rows/s"} */
    static String progressLine(Progress progress) {
        return String.format(Locale.ROOT, "  %,10d read, %,10d written, %,6d failed, %,6d retried, %,9.0f rows/s",
            progress.linesRead(), progress.rowsInserted(), progress.rowsFailed(), progress.rowsRetried(),
            progress.rowsPerSecond());
    }

    static void print(Report report, Path rejects, PrintStream out) {
        out.printf(Locale.ROOT, "Done: %,d lines, %,d written, %,d failed, %,d retried in %.1f s (%,.0f rows/s)%n",
            report.linesRead(), report.rowsInserted(), report.rowsFailed(), report.rowsRetried(),
            report.elapsed().toMillis() / 1000.0, report.rowsPerSecond());
        report.firstFailures().forEach(failure -> out.printf(Locale.ROOT, "  line %d: %s%s -- %s%n",
            failure.lineNumber(), failure.errorCode() == 0 ? "" : "[" + failure.errorCode() + "] ", failure.message(),
            failure.line()));
        if (report.rowsFailed() > 0) {
            out.println("  every rejected row, with its error code: " + rejects);
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
