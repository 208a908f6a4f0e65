package dev.cratereactive.bench;

import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.DecodedResponse;
import dev.cratereactive.internal.codec.RequestEncoder;
import dev.cratereactive.internal.codec.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;

/**
 * The codec's share of a query, without network, HTTP or Reactor (nanoseconds and, with {@code -prof gc},
 * bytes per call): encoding the small statement and a 1,000-row bulk body, decoding the small answer, each next
 * to what databind does for the same bytes; and gzipping the bulk body as the client does (level 1) and at
 * deflate's default level 6. What a whole query costs beyond these is the transport's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class CodecBenchmark {

    private List<List<Object>> batch;
    private byte[] bulkBody;
    private byte[] smallBody;
    private ByteBuf smallDirect;

    @Setup(Level.Trial)
    public void setUp() {
        batch = BenchData.bulkRows(BenchServer.BULK_BATCH);
        bulkBody = RequestEncoder.bulk(BenchData.BULK_STATEMENT, batch);
        smallBody = BenchData.SMALL_BODY.getBytes(StandardCharsets.UTF_8);
        smallDirect = Unpooled.directBuffer(smallBody.length).writeBytes(smallBody);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        smallDirect.release();
    }

    @Benchmark
    public byte[] encodeSmallOurs() {
        return RequestEncoder.statement(BenchData.SMALL_STATEMENT, List.of());
    }

    @Benchmark
    public byte[] encodeSmallDatabind() {
        return Baseline.statement(BenchData.SMALL_STATEMENT);
    }

    @Benchmark
    public long decodeSmallOurs(Blackhole bh) {
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        List<Row> rows = decoder.feed(smallDirect.duplicate());
        for (Row row : rows) {
            bh.consume(row.get(0));
            bh.consume(row.get(1));
        }
        DecodedResponse response = decoder.finish();
        return Check.count("decodeSmallOurs", 1, rows.size() + response.rowCount() - 1);
    }

    @Benchmark
    public long decodeSmallDatabind(Blackhole bh) {
        JsonNode rows = Baseline.MAPPER.readTree(smallBody).get("rows");
        for (JsonNode row : rows) {
            bh.consume(row.get(0).asInt());
            bh.consume(row.get(1).asString());
        }
        return Check.count("decodeSmallDatabind", 1, rows.size());
    }

    @Benchmark
    public byte[] encodeBulkOurs() {
        return RequestEncoder.bulk(BenchData.BULK_STATEMENT, batch);
    }

    @Benchmark
    public byte[] encodeBulkDatabind() {
        return Baseline.MAPPER.writeValueAsBytes(Map.of("stmt", BenchData.BULK_STATEMENT, "bulk_args", batch));
    }

    /** Deflate's default level 6, which the client used before it moved to level 1. */
    @Benchmark
    public byte[] gzipBulkBody() {
        return gzip(bulkBody, Deflater.DEFAULT_COMPRESSION);
    }

    /**
     * {@link Deflater#BEST_SPEED}: what the client adds to every bulk body over 8 KiB (see
     * {@code DefaultCrateClient.prepare}).
     */
    @Benchmark
    public byte[] gzipBulkBodyFast() {
        return gzip(bulkBody, Deflater.BEST_SPEED);
    }

    /**
     * @param body bytes
     * @param level deflate level
     * @return the gzip stream, as {@code DefaultCrateClient.prepare} makes it (but for the level)
     */
    static byte[] gzip(byte[] body, int level) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 8192) {
            {
                def.setLevel(level);
            }
        }) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }
}
