package dev.cratereactive.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A stand-in for a CrateDB node that answers every request on a port with the same pre-rendered body, with
 * {@code content-length} as CrateDB sends it. The bodies sit in direct memory and are written without copying,
 * so the server costs little besides the kernel's work; it runs on its own event loop ("bench-server-*"
 * threads), apart from the client's.
 *
 * <p>Three ports: {@code big} (the 1,000,000-row result), {@code small} (the {@code select-simple} result),
 * {@code bulk} (a successful bulk response of {@value #BULK_BATCH} rows). Used in-process by the decode
 * benchmarks, and as a separate process (see {@link #main(String[])}) where the client's CPU time or heap is
 * measured.
 */
public final class BenchServer implements AutoCloseable {

    /** Rows per bulk request. */
    public static final int BULK_BATCH = 1_000;

    /** The line {@link #main(String[])} prints first: {@code BENCH-SERVER big=<port> small=<port> bulk=<port>}. */
    static final String READY = "BENCH-SERVER";

    private final LoopResources loops;
    private final DisposableServer big;
    private final DisposableServer small;
    private final DisposableServer bulk;

    /**
     * @param bigRows rows of the big result (0: serve no big result)
     * @param threads event loop threads
     */
    public BenchServer(int bigRows, int threads) {
        this.loops = LoopResources.create("bench-server", threads, true);
        this.big = bigRows > 0 ? start(BenchData.bigResult(bigRows)) : null;
        this.small = start(BenchData.SMALL_BODY.getBytes(StandardCharsets.UTF_8));
        this.bulk = start(BenchData.bulkResponse(BULK_BATCH));
    }

    private DisposableServer start(byte[] body) {
        ByteBuf direct = Unpooled.unreleasableBuffer(Unpooled.directBuffer(body.length).writeBytes(body));
        String length = Integer.toString(body.length);
        return HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .runOn(loops)
            .handle((request, response) -> request.receive().then(Mono.defer(() -> response
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8")
                .header(HttpHeaderNames.CONTENT_LENGTH, length)
                .sendObject(direct.duplicate())
                .then())))
            .bindNow(Duration.ofSeconds(10));
    }

    /** @return base URL of the big result */
    public String bigUrl() {
        return url(big);
    }

    /** @return base URL of the small result */
    public String smallUrl() {
        return url(small);
    }

    /** @return base URL of the bulk response */
    public String bulkUrl() {
        return url(bulk);
    }

    private static String url(DisposableServer server) {
        if (server == null) {
            throw new IllegalStateException("this server was started without the big result");
        }
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        for (DisposableServer server : new DisposableServer[] {big, small, bulk}) {
            if (server != null) {
                server.disposeNow(Duration.ofSeconds(5));
            }
        }
        loops.disposeLater().block(Duration.ofSeconds(5));
    }

    /**
     * Runs the server as its own process, so that the client's CPU time and heap are measured without it.
     * Prints {@value #READY} and the ports on one line, then serves until standard input closes (the parent
     * died or is done).
     *
     * @param args {@code [bigRows [threads]]}
     */
    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (BenchServer server = new BenchServer(rows, threads)) {
            System.out.println(READY + " big=" + server.big.port() + " small=" + server.small.port()
                + " bulk=" + server.bulk.port());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // wait for EOF
            }
        }
    }

    /** A {@link BenchServer} running as a child process of this JVM. */
    public static final class Process implements AutoCloseable {

        private final java.lang.Process process;
        private final Map<String, Integer> ports;

        private Process(java.lang.Process process, Map<String, Integer> ports) {
            this.process = process;
            this.ports = ports;
        }

        /**
         * @param bigRows rows of the big result
         * @param heap {@code -Xmx} of the server JVM, e.g. {@code 1g}
         * @return the started server, once it listens
         */
        public static Process start(int bigRows, String heap) {
            String javaCommand = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(javaCommand, "-Xmx" + heap, "-XX:MaxDirectMemorySize=" + heap,
                "-cp", System.getProperty("java.class.path"), BenchServer.class.getName(), Integer.toString(bigRows))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
            try {
                java.lang.Process process = builder.start();
                BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.startsWith(READY)) {
                    System.out.println("[server] " + line);
                }
                if (line == null) {
                    throw new IllegalStateException("the bench server exited with " + process.waitFor());
                }
                Map<String, Integer> ports = new HashMap<>();
                for (String part : line.substring(READY.length()).trim().split(" ")) {
                    String[] kv = part.split("=");
                    ports.put(kv[0], Integer.parseInt(kv[1]));
                }
                return new Process(process, ports);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * @param name {@code big}, {@code small} or {@code bulk}
         * @return the base URL
         */
        public String url(String name) {
            return "http://127.0.0.1:" + ports.get(name);
        }

        /** @return the server's process id */
        public long pid() {
            return process.pid();
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (IOException e) {
                process.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }
}
