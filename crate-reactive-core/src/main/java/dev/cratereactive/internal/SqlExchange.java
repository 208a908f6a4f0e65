package dev.cratereactive.internal;

import dev.cratereactive.BulkResult;
import dev.cratereactive.CrateException;
import dev.cratereactive.Node;
import dev.cratereactive.Row;
import dev.cratereactive.SqlResult;
import dev.cratereactive.internal.codec.DecodedResponse;
import dev.cratereactive.internal.codec.MalformedResponseException;
import dev.cratereactive.internal.codec.RequestBody;
import dev.cratereactive.internal.codec.ResponseDecoder;
import dev.cratereactive.internal.failure.ExchangeFailure;
import dev.cratereactive.internal.failure.FailureClassifier;
import dev.cratereactive.internal.failure.Texts;
import dev.cratereactive.internal.routing.Attempt;
import dev.cratereactive.internal.transport.PinnedConnection;
import dev.cratereactive.internal.transport.ResponseBody;
import dev.cratereactive.internal.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One {@code POST /_sql} on one node: writes the prepared body, checks the response status and content type,
 * streams the body through a {@link ResponseDecoder}, and has every failure classified by
 * {@link FailureClassifier} (which knows how far the {@link Attempt} got) into a {@link CrateException}.
 */
final class SqlExchange {

    /** How much of a non-JSON body (proxy HTML, 401 text) is kept for the error message. */
    private static final int MAX_TEXT_BODY = 2048;

    private final Supplier<String> authorization;
    private final boolean rotatingCredentials;
    private final Transport transport;
    private final String query;
    /*
     * Built once per node (address, path, Host and the static headers; see Transport.post): send(..) and uri(..)
     * each copy the client's whole configuration, so a request only adds its body and the headers that vary, read
     * by SEND from the subscriber context. Nodes found by discovery get theirs on first use.
     */
    private final Map<Node, HttpClient.ResponseReceiver<?>> senders = new ConcurrentHashMap<>();

    /** Writes the body of the request in the subscriber context: the same function for every request. */
    private static final BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> SEND = (httpRequest, outbound) -> {
        Outgoing out = httpRequest.currentContextView().get(Outgoing.class);
        RequestBody body = out.body();
        int length = body.length();
        out.attempt().sending(length);
        httpRequest.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(length));
        if (body.gzipped()) {
            httpRequest.header(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        if (out.authorization() != null) {
            httpRequest.header(HttpHeaderNames.AUTHORIZATION, out.authorization());
        }
        return outbound.sendObject(Unpooled.wrappedBuffer(body.bytes(), 0, length)).then()
            .doOnSuccess(done -> out.attempt().requestWritten());
    };

    /** What one request adds to its node's sender; the key of itself in the subscriber context. */
    private record Outgoing(Attempt attempt, RequestBody body, String authorization) {
        @Override
        public String toString() {
            return "Outgoing[" + attempt.node() + "]"; // never the Authorization value
        }
    }

    /**
     * A request ready to send, reused by retries.
     *
     * @param body the body
     * @param statement the statement as the user wrote it, for messages
     */
    record Request(RequestBody body, String statement) {
    }

    SqlExchange(Transport transport, List<Node> nodes, RequestOptions options) {
        this.authorization = options.authorization();
        this.rotatingCredentials = options.rotatingCredentials();
        this.transport = transport;
        this.query = options.errorTrace() ? "/_sql?types&error_trace=true" : "/_sql?types";
        for (Node node : nodes) {
            sender(node);
        }
    }

    private SqlExchange(SqlExchange shared, Node node, HttpClient client) {
        this.authorization = shared.authorization;
        this.rotatingCredentials = shared.rotatingCredentials;
        this.transport = shared.transport;
        this.query = shared.query;
        senders.put(node, Transport.post(client, node, query).send(SEND));
    }

    /**
     * @param connection a pinned connection
     * @return an exchange like this one whose every request goes on that connection (to its node only)
     */
    SqlExchange on(PinnedConnection connection) {
        return new SqlExchange(this, connection.node(), connection.client());
    }

    private HttpClient.ResponseReceiver<?> sender(Node node) {
        return senders.computeIfAbsent(node, n -> Transport.post(transport.client(n), n, query).send(SEND));
    }

    /**
     * @param attempt the node and the progress record
     * @param request the encoded statement
     * @return the rows, as they are decoded
     */
    Flux<Row> rows(Attempt attempt, Request request) {
        return rows(attempt, request, 0);
    }

    /**
     * @param attempt the node and the progress record
     * @param request the encoded statement
     * @param rowsBefore rows the call delivered before this request (earlier cursor pages): counted as emitted
     *     for the failure classifier, so a failure says "after N rows" and is never retried
     * @return the rows, as they are decoded
     */
    Flux<Row> rows(Attempt attempt, Request request, long rowsBefore) {
        return run(attempt, request, ResponseDecoder.Mode.ROWS, rowsBefore, ROWS);
    }

    /**
     * @param attempt the node and the progress record
     * @param request the encoded statement
     * @return the row count, duration and columns; rows are counted, not built
     */
    Mono<SqlResult> execute(Attempt attempt, Request request) {
        return run(attempt, request, ResponseDecoder.Mode.DISCARD_ROWS, 0, (rows, end) -> rows.then(end)
            .map(decoded -> new SqlResult(decoded.rowCount(), decoded.duration(), decoded.metadata())))
            .single();
    }

    /**
     * @param attempt the node and the progress record
     * @param request the encoded bulk request
     * @return one result per row
     */
    Mono<BulkResult> bulk(Attempt attempt, Request request) {
        return run(attempt, request, ResponseDecoder.Mode.BULK, 0, (rows, end) -> rows.then(end).map(decoded -> {
            if (decoded.bulkResults() == null) {
                throw new MalformedResponseException("a bulk request was answered without \"results\"", null);
            }
            return new BulkResult(decoded.bulkResults(), decoded.duration());
        })).single();
    }

    /**
     * What a successful (200 JSON) response becomes: from the rows as they are decoded and the rest of the
     * response, available once the rows completed.
     */
    private interface Shape<T> {
        Publisher<T> apply(Flux<Row> rows, Mono<DecodedResponse> end);
    }

    /** The rows themselves: the decoding operator checks the end of the response before it completes. */
    private static final Shape<Row> ROWS = (rows, end) -> rows;

    private <T> Flux<T> run(Attempt attempt, Request request, ResponseDecoder.Mode mode, long rowsBefore,
                            Shape<T> shape) {
        Progress progress = new Progress();
        progress.rows = rowsBefore;
        Flux<T> once = exchange(attempt, request, mode, shape, progress);
        if (rotatingCredentials) {
            // A rotated JWT: a 401 asks the supplier once more (exchange() does) and resends once to the same node;
            // neither a node failure nor a retry, so it happens before the failure is classified.
            once = once.onErrorResume(error -> progress.status == 401 && error instanceof ExchangeFailure.UnexpectedAnswer,
                error -> exchange(attempt, request, mode, shape, progress));
        }
        return once.onErrorMap(error -> attempt.failed(FailureClassifier.classify(error, new FailureClassifier.Exchange(
            attempt.node(), Texts.forDisplay(request.statement()), attempt.repeatable(),
            attempt.isRequestWritten(), progress.status, progress.rows))));
    }

    private <T> Flux<T> exchange(Attempt attempt, Request request, ResponseDecoder.Mode mode, Shape<T> shape,
                                 Progress progress) {
        return Flux.defer(() -> {
                progress.status = CrateException.NO_HTTP_STATUS;
                // Computed here, before Reactor Netty runs: no caller code inside the Netty pipeline.
                String header = null;
                if (authorization != null) {
                    try {
                        header = authorization.get();
                    } catch (RuntimeException e) {
                        return Flux.error(new ExchangeFailure.AuthorizationFailed(e));
                    }
                    if (header == null) {
                        return Flux.error(new ExchangeFailure.AuthorizationFailed(null));
                    }
                }
                Outgoing outgoing = new Outgoing(attempt, request.body(), header);
                return sender(attempt.node())
                    .responseConnection((response, connection) ->
                        receive(response, connection, attempt, progress, mode, shape))
                    .contextWrite(context -> context.put(Outgoing.class, outgoing));
            });
    }

    private <T> Publisher<T> receive(HttpClientResponse response, Connection connection, Attempt attempt,
                                     Progress progress, ResponseDecoder.Mode mode, Shape<T> shape) {
        int status = response.status().code();
        progress.status = status;
        attempt.responseStarted();
        String contentType = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        boolean json = contentType != null && contentType.regionMatches(true, 0, "application/json", 0, 16);
        if (status == 200 && json) {
            attempt.nodeAnswered();
            ResponseDecoder decoder = new ResponseDecoder(mode);
            return shape.apply(decode(response, connection, decoder, attempt, progress, shape == ROWS), end(decoder));
        }
        // CrateDB 6.4.3 can fail the next statement on a connection that saw an error; never reuse it.
        connection.markPersistent(false);
        if (json) { // CrateDB's error object, whatever the status (400 syntax, 503 with 5030, ...)
            attempt.nodeAnswered();
            ResponseDecoder decoder = new ResponseDecoder(ResponseDecoder.Mode.DISCARD_ROWS);
            return decode(response, connection, decoder, attempt, progress, false).then(end(decoder))
                .then(Mono.error(new ExchangeFailure.UnexpectedAnswer(contentType, "JSON without an error object")));
        }
        if (status != 502 && status != 503 && status != 504 && status != 509) { // those come from a proxy
            attempt.nodeAnswered();
        }
        return text(connection).flatMap(body -> Mono.error(new ExchangeFailure.UnexpectedAnswer(contentType, body)));
    }

    /**
     * The one decode path: the body's chunks through the decoder, rows out as they complete.
     *
     * @param checkEnd whether the rows check the end of the response before they complete (else see {@link #end})
     */
    private static Flux<Row> decode(HttpClientResponse response, Connection connection, ResponseDecoder decoder,
                                    Attempt attempt, Progress progress, boolean checkEnd) {
        // A cancel with little of the body outstanding (a one-row next()) keeps the connection for the pool.
        return new BodyRows(ResponseBody.receive(connection, response.responseHeaders(), null), decoder,
            (bytes, decoded) -> {
                attempt.received(bytes);
                if (!decoded.isEmpty()) {
                    progress.rows += decoded.size();
                    attempt.resultEmitted(decoded.size());
                }
            }, checkEnd ? () -> checked(decoder) : null);
    }

    /** @return the rest of the response once the body ended; CrateDB's error object as a failure */
    private static Mono<DecodedResponse> end(ResponseDecoder decoder) {
        return Mono.fromCallable(() -> checked(decoder));
    }

    private static DecodedResponse checked(ResponseDecoder decoder) {
        DecodedResponse decoded = decoder.finish();
        if (decoded.error() != null) {
            throw new ExchangeFailure.ServerError(decoded.error(), decoded.errorTrace());
        }
        return decoded;
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
