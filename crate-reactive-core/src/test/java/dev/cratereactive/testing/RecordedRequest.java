package dev.cratereactive.testing;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A request as {@link CrateTestServer} received it.
 *
 * @param method HTTP method
 * @param uri path and query
 * @param headers headers, lower-case names
 * @param body the body as text, gunzipped when it came with {@code content-encoding: gzip}
 * @param rawBodyLength the body's length on the wire
 * @param connectionId the TCP connection it came on
 * @param serial 1 for the server's first request, 2 for the second, ...
 * @param receivedNanos {@link System#nanoTime()} when the whole request had arrived
 */
public record RecordedRequest(String method, String uri, Map<String, String> headers, String body,
                              int rawBodyLength, String connectionId, int serial, long receivedNanos) {

    private static final String TAG_START = "/* crate-reactive:";
    private static final String TAG_END = " */ ";

    /** @return the body as JSON, or a missing node */
    public JsonNode json() {
        try {
            return Transcript.JSON.readTree(body);
        } catch (RuntimeException e) {
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** @return the {@code stmt} of the body without the client's leading tag comment, or {@code null} */
    public String statement() {
        String stmt = taggedStatement();
        return stmt != null && stmt.startsWith(TAG_START) ? stmt.substring(stmt.indexOf(TAG_END) + TAG_END.length())
            : stmt;
    }

    /** @return the {@code stmt} of the body as sent, with the tag comment, or {@code null} */
    public String taggedStatement() {
        JsonNode stmt = json().path("stmt");
        return stmt.isString() ? stmt.asString() : null;
    }

    /**
     * @param name header name, any case
     * @return the header value, or {@code null}
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
