package dev.cratereactive.internal;

import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.Row;
import dev.cratereactive.internal.codec.DecodedResponse;
import dev.cratereactive.internal.codec.MalformedResponseException;
import dev.cratereactive.internal.codec.ResponseDecoder;
import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.transport.ResponseBody;
import dev.cratereactive.internal.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One {@code POST /_sql} on one node: writes the prepared body, checks the response status and content type,
 * streams the body through a {@link ResponseDecoder}, and turns every failure into a {@link CrateException}
 * while telling the {@link Attempt} how far it got.
 */
final class SqlExchange {

    /** How much of a non-JSON body (proxy HTML, 401 text) is kept for the error message. */
    private static final int MAX_TEXT_BODY = 2048;

    private final Supplier<String> authorization;
    /*
     * Built once per node: post().uri(..) copies the client's whole configuration twice, and a String URI is
     * parsed with a regular expression on every request; a java.net.URI is taken apart without one.
     */
    private final Map<Node, HttpClient.RequestSender> senders = new HashMap<>();

    /** A request ready to send, encoded once per subscription and reused by retries. */
    record Request(byte[] body, boolean gzipped, ResponseDecoder.Mode mode, String statement) {
    }

    SqlExchange(Transport transport, ClientConfig config) {
        this.authorization = config.authorization();
        String query = config.errorTrace() ? "/_sql?types&error_trace=true" : "/_sql?types";
        for (Node node : config.nodes()) {
            senders.put(node, transport.client(node).post().uri(URI.create(node + query)));
        }
    }

    /**
     * @param attempt the node and the progress record
     * @param request the encoded request
     * @return the rows in {@code ROWS} mode; in the other modes, one {@link DecodedResponse}
     */
    Flux<Object> run(Attempt attempt, Request request) {
        Node node = attempt.node();
        Progress progress = new Progress();
        return senders.get(node)
            .send((httpRequest, outbound) -> {
                httpRequest.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(request.body().length));
                if (request.gzipped()) {
                    httpRequest.header(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
                }
                if (authorization != null) {
                    httpRequest.header(HttpHeaderNames.AUTHORIZATION, authorization.get());
                }
                return outbound.sendObject(Unpooled.wrappedBuffer(request.body())).then()
                    .doOnSuccess(done -> attempt.requestWritten());
            })
            .responseConnection((response, connection) -> receive(response, connection, attempt, request, progress))
            .onErrorMap(error -> {
                Errors.Classified classified = Errors.classify(error, progress.status, progress.rows, node,
                    request.statement());
                if (classified.kind() == Errors.Kind.NODE) {
                    attempt.nodeFailed(classified.exception());
                }
                return classified.exception() == null ? error : classified.exception();
            });
    }

    private Publisher<Object> receive(HttpClientResponse response, Connection connection, Attempt attempt,
                                      Request request, Progress progress) {
        int status = response.status().code();
        progress.status = status;
        String contentType = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        boolean json = contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
        Node node = attempt.node();
        if (status == 200 && json) {
            attempt.nodeAnswered();
            return decode(response, connection, request.mode(), attempt, request, progress);
        }
        // CrateDB 6.4.3 can fail the next statement on a connection that saw an error; never reuse it.
        connection.markPersistent(false);
        if (status == 502 || status == 503 || status == 504 || status == 509) {
            return text(connection).flatMap(body -> Mono.error(Errors.unavailable(status, body, node,
                request.statement())));
        }
        attempt.nodeAnswered();
        if (json) {
            return decode(response, connection, ResponseDecoder.Mode.DISCARD_ROWS, attempt, request, progress)
                .flatMap(decoded -> Mono.error(Errors.notCrateDb(status, contentType,
                    "JSON without an error object", node, request.statement())));
        }
        if (status == 401) {
            return text(connection).flatMap(body -> Mono.error(Errors.authentication(status, body, node,
                request.statement())));
        }
        return text(connection).flatMap(body -> Mono.error(Errors.notCrateDb(status, contentType, body, node,
            request.statement())));
    }

    private Flux<Object> decode(HttpClientResponse response, Connection connection, ResponseDecoder.Mode mode,
                                Attempt attempt, Request request, Progress progress) {
        ResponseDecoder decoder = new ResponseDecoder(mode);
        // The decoder copies what it needs synchronously in map(); Reactor Netty releases each buffer after onNext.
        // A cancel with little of the body outstanding (a one-row next()) keeps the connection for the pool.
        Flux<Object> rows = ResponseBody.receive(connection, response.responseHeaders(), null)
            .map(chunk -> {
                List<Row> decoded = decoder.feed(chunk);
                if (!decoded.isEmpty()) {
                    progress.rows += decoded.size();
                    attempt.resultEmitted();
                }
                return decoded;
            })
            .concatMapIterable(decoded -> decoded, 1);
        return rows.concatWith(Mono.fromCallable(() -> {
            DecodedResponse decoded = decoder.finish();
            if (decoded.error() != null) {
                throw Errors.fromServer(decoded.error(), decoded.errorTrace(), progress.status, attempt.node(),
                    request.statement());
            }
            if (mode == ResponseDecoder.Mode.BULK && decoded.bulkResults() == null) {
                throw new MalformedResponseException("a bulk request was answered without \"results\"", null);
            }
            // Rows need no summary, and leaving it out spares every row a type filter downstream.
            return mode == ResponseDecoder.Mode.ROWS ? null : decoded;
        }));
    }

    private static Mono<String> text(Connection connection) {
        return connection.inbound().receive()
            .collect(ByteArrayOutputStream::new, (out, chunk) -> copy(chunk, out))
            .map(out -> out.toString(StandardCharsets.UTF_8));
    }

    private static void copy(ByteBuf chunk, ByteArrayOutputStream out) {
        int length = Math.min(chunk.readableBytes(), MAX_TEXT_BODY - out.size());
        if (length > 0) {
            byte[] bytes = new byte[length];
            chunk.getBytes(chunk.readerIndex(), bytes);
            out.write(bytes, 0, length);
        }
    }

    /** What the error mapping needs to know about the response so far. */
    private static final class Progress {
        volatile int status = CrateException.NO_HTTP_STATUS;
        volatile long rows;
    }
}
