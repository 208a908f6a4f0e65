package dev.cratereactive.bench;

import dev.cratereactive.CrateClient;
import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.DecodedResponse;
import dev.cratereactive.internal.codec.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;

/**
 * Decode throughput of a {@value #ROWS}-row result ({@code [BIGINT, TEXT(20), DOUBLE]}, ~42 MB), in rows per
 * second (one operation = one row; {@code gc.alloc.rate.norm} is therefore bytes per row).
 *
 * <ul>
 *   <li>{@code ours}: {@code client.sql(..)} against an in-process {@link BenchServer} over loopback, every value
 *       of every {@link Row} consumed;</li>
 *   <li>{@code jacksonLimit} (baseline a): Jackson's blocking streaming parser walking the same bytes from
 *       memory, extracting the same values (as primitives: the limit);</li>
 *   <li>{@code jdkDatabind} (baseline b): JDK {@code HttpClient} + {@code readTree} of the whole body, then
 *       the same values from the tree;</li>
 *   <li>{@code asyncParserFromMemory}, {@code decoderFromMemory}: the steps between, for locating the gap: the
 *       non-blocking parser alone, and our {@link ResponseDecoder} without network, HTTP and Reactor, both fed
 *       the bytes in 8 KiB direct-memory slices as the HTTP codec delivers them.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class DecodeBenchmark {

    /** Rows in the result. */
    public static final int ROWS = 1_000_000;
    /** Slice size of the from-memory variants: the HTTP codec's default maximum chunk size. */
    static final int SLICE = 8 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private byte[] body;
    private ByteBuf directBody;
    private BenchServer server;
    private CrateClient client;
    private Baseline jdk;
    private HttpRequest jdkRequest;

    @Setup(Level.Trial)
    public void setUp() {
        server = new BenchServer(ROWS, 1);
        body = BenchData.bigResult(ROWS);
        directBody = Unpooled.directBuffer(body.length).writeBytes(body);
        client = CrateClient.create(server.bigUrl());
        jdk = new Baseline(server.bigUrl());
        jdkRequest = jdk.request(Baseline.statement(BenchData.BIG_STATEMENT));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        jdk.close();
        server.close();
        directBody.release();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long ours(Blackhole bh) {
        Long rows = client.sql(BenchData.BIG_STATEMENT)
            .doOnNext(row -> consume(row, bh))
            .count()
            .block();
        return Check.count("ours", ROWS, rows == null ? -1 : rows);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long jacksonLimit(Blackhole bh) {
        long rows = 0;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.PROPERTY_NAME) {
                    continue;
                }
                if (!"rows".equals(parser.currentName())) {
                    parser.nextToken();
                    parser.skipChildren();
                    continue;
                }
                parser.nextToken();
                while (parser.nextToken() == JsonToken.START_ARRAY) {
                    parser.nextToken();
                    bh.consume(parser.getLongValue());
                    parser.nextToken();
                    bh.consume(parser.getString());
                    parser.nextToken();
                    bh.consume(parser.getDoubleValue());
                    parser.nextToken();
                    rows++;
                }
            }
        }
        return Check.count("jacksonLimit", ROWS, rows);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long jdkDatabind(Blackhole bh) {
        JsonNode rows = jdk.send(jdkRequest).get("rows");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            bh.consume(row.get(0).asLong());
            bh.consume(row.get(1).asString());
            bh.consume(row.get(2).asDouble());
        }
        return Check.count("jdkDatabind", ROWS, rows.size());
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long asyncParserFromMemory(Blackhole bh) {
        try (JsonParser parser = JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty())) {
            ByteArrayFeeder feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
            AsyncWalk walk = new AsyncWalk(parser, bh);
            byte[] scratch = new byte[SLICE];
            for (int offset = 0; offset < body.length; offset += SLICE) {
                int length = Math.min(SLICE, body.length - offset);
                directBody.getBytes(offset, scratch, 0, length);
                feeder.feedInput(scratch, 0, length);
                walk.drain();
            }
            feeder.endOfInput();
            walk.drain();
            return Check.count("asyncParserFromMemory", ROWS, walk.rows);
        }
    }

    /** The values of {@code rows}, token by token, as far as the fed input goes (depth 3 = a cell). */
    private static final class AsyncWalk {
        private final JsonParser parser;
        private final Blackhole bh;
        private int depth;
        private boolean rowsField;
        long rows;

        AsyncWalk(JsonParser parser, Blackhole bh) {
            this.parser = parser;
            this.bh = bh;
        }

        void drain() {
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                switch (token) {
                    case START_OBJECT:
                    case START_ARRAY:
                        depth++;
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        if (rowsField && depth == 3) {
                            rows++;
                        }
                        depth--;
                        break;
                    case PROPERTY_NAME:
                        rowsField = depth == 1 && "rows".equals(parser.currentName());
                        break;
                    case VALUE_NUMBER_INT:
                        if (rowsField && depth == 3) {
                            bh.consume(parser.getLongValue());
                        }
                        break;
                    case VALUE_STRING:
                        if (rowsField && depth == 3) {
                            bh.consume(parser.getString());
                        }
                        break;
                    case VALUE_NUMBER_FLOAT:
                        if (rowsField && depth == 3) {
                            bh.consume(parser.getDoubleValue());
                        }
                        break;
                    default:
                        break;
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long decoderFromMemory(Blackhole bh) {
        ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.ROWS);
        long rows = 0;
        for (int offset = 0; offset < body.length; offset += SLICE) {
            List<Row> decoded = decoder.feed(directBody.slice(offset, Math.min(SLICE, body.length - offset)));
            for (int i = 0; i < decoded.size(); i++) {
                consume(decoded.get(i), bh);
            }
            rows += decoded.size();
        }
        DecodedResponse response = decoder.finish();
        Check.count("decoderFromMemory rowcount", ROWS, response.rowCount());
        return Check.count("decoderFromMemory", ROWS, rows);
    }

    private static void consume(Row row, Blackhole bh) {
        bh.consume(row.get(0));
        bh.consume(row.get(1));
        bh.consume(row.get(2));
    }
}
