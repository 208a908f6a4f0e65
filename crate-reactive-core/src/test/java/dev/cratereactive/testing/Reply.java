package dev.cratereactive.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.reactivestreams.Publisher;

/**
 * What {@link CrateTestServer} does with one request: an answer, or one of the faults worth simulating
 * (after OkHttp's SocketPolicy): refuse to answer, reset before or during the body, stall, truncate.
 */
public sealed interface Reply {

    /** A complete HTTP response with {@code content-length}. */
    record Full(int status, Map<String, String> headers, byte[] body) implements Reply {
    }

    /** Headers with the full {@code content-length}, then {@code bytesSent} bytes of the body, then a TCP reset. */
    record ResetMidBody(int status, String contentType, byte[] body, int bytesSent) implements Reply {
    }

    /** Headers with the full {@code content-length}, {@code bytesSent} bytes of the body, then silence. */
    record StallMidBody(int status, String contentType, byte[] body, int bytesSent) implements Reply {
    }

    /** Read the request, then reset the connection without a response. */
    record ResetBeforeResponse() implements Reply {
    }

    /** Read the request and never answer. */
    record Stall() implements Reply {
    }

    /** A chunked response whose body comes from a publisher (for large or slow streams). */
    record Streamed(int status, String contentType, Publisher<byte[]> body) implements Reply {
    }

    /** Bytes that are not an HTTP response (a PostgreSQL port, some other service), then the connection closed. */
    record Raw(byte[] bytes) implements Reply {
    }

    /** Another reply after a delay. */
    record Delayed(Duration delay, Reply reply) implements Reply {
    }

    /** CrateDB's content type for JSON. */
    String JSON = "application/json; charset=UTF-8";

    /**
     * @param status HTTP status
     * @param body JSON text
     * @return a JSON response as CrateDB sends it
     */
    static Reply json(int status, String body) {
        return new Full(status, Map.of("content-type", JSON), bytes(body));
    }

    /**
     * @param status HTTP status
     * @param contentType content type, or {@code null} for none (CrateDB's 401)
     * @param body the text
     * @return a text response
     */
    static Reply text(int status, String contentType, String body) {
        return new Full(status, contentType == null ? Map.of() : Map.of("content-type", contentType), bytes(body));
    }

    /**
     * @param name transcript name, e.g. {@code select-all-types}
     * @return the transcript's recorded response, byte for byte
     */
    static Reply transcript(String name) {
        Transcript transcript = Transcript.load(name);
        Map<String, String> headers = new java.util.LinkedHashMap<>(transcript.responseHeaders());
        headers.remove("content-length");
        return new Full(transcript.status(), headers, bytes(transcript.responseBody()));
    }

    /** @return an nginx-style 502 page, as a proxy in front of a dead node sends it */
    static Reply proxyBadGateway() {
        return text(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }

    /** @return a proxy's 503 */
    static Reply proxyUnavailable() {
        return text(503, "text/html", "<html><body><h1>503 Service Unavailable</h1></body></html>");
    }

    /**
     * @param body the whole body
     * @param bytesSent how much of it to send before the reset
     * @return a 200 JSON response reset mid-body
     */
    static Reply resetMidBody(String body, int bytesSent) {
        return new ResetMidBody(200, JSON, bytes(body), bytesSent);
    }

    /**
     * @param body the whole body
     * @param bytesSent how much of it to send before stalling
     * @return a 200 JSON response that stops mid-body
     */
    static Reply stallMidBody(String body, int bytesSent) {
        return new StallMidBody(200, JSON, bytes(body), bytesSent);
    }

    /**
     * @param body JSON text
     * @param bytesSent how much of it makes the (complete, well-framed) HTTP body
     * @return a 200 response whose JSON is cut off
     */
    static Reply truncated(String body, int bytesSent) {
        byte[] all = bytes(body);
        return new Full(200, Map.of("content-type", JSON), java.util.Arrays.copyOf(all, bytesSent));
    }

    /**
     * @return what CrateDB answers when it is overloaded (server source, {@code HttpErrorStatus}): HTTP 429 with
     *         no body, and the connection closed after it
     */
    static Reply overloaded() {
        return new Full(429, Map.of("connection", "close"), new byte[0]);
    }

    /**
     * @return the start of what CrateDB 6.4.3's PostgreSQL port (5432) answered to {@code POST /_sql}, recorded
     *         here: an {@code ErrorResponse} message ("invalid length of startup packet", with a stack trace
     *         of lines that end in {@code \n}, shortened here), then it closed the connection
     */
    static Reply postgresError() {
        return new Raw(bytes("E\0\0\u0007RSFATAL\0Minvalid length of startup packet\0CXX000\0FPgDecoder.java\0"
            + "Rdecode\0L146\0Wio.crate.protocols.postgres.PgDecoder.decode(PgDecoder.java:146)\n"
            + "io.crate.protocols.postgres.PgDecoder.decode(PgDecoder.java:117)\n\0\0"));
    }

    /** @return no response, and the connection reset */
    static Reply resetBeforeResponse() {
        return new ResetBeforeResponse();
    }

    /** @return no response at all */
    static Reply stall() {
        return new Stall();
    }

    /**
     * @param body body parts, sent as they come
     * @return a chunked 200 JSON response
     */
    static Reply streamed(Publisher<byte[]> body) {
        return new Streamed(200, JSON, Objects.requireNonNull(body));
    }

    /**
     * @param delay how long to wait before answering
     * @param reply the answer
     * @return the delayed answer
     */
    static Reply delayed(Duration delay, Reply reply) {
        return new Delayed(delay, reply);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
