package dev.cratereactive.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One request/response pair recorded from a real CrateDB 6.4.3 ({@code src/test/resources/transcripts}).
 *
 * @param name file name without {@code .json}
 * @param requestPath request path and query, e.g. {@code /_sql?types}
 * @param requestBody the exact request body
 * @param status response status
 * @param responseHeaders response headers, lower-case names
 * @param responseBody the exact response body
 */
public record Transcript(String name, String requestPath, String requestBody, int status,
                         Map<String, String> responseHeaders, String responseBody) {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param name a transcript file name without {@code .json}, e.g. {@code select-all-types}
     * @return the transcript
     */
    public static Transcript load(String name) {
        try (InputStream in = Transcript.class.getResourceAsStream("/transcripts/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript named " + name);
            }
            JsonNode root = JSON.readTree(in);
            Map<String, String> headers = new LinkedHashMap<>();
            root.path("response").path("headers").properties()
                .forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue().asString()));
            return new Transcript(name, root.path("request").path("path").asString(),
                root.path("request").path("body").asString(), root.path("response").path("status").asInt(), headers,
                root.path("response").path("body").asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the {@code stmt} of the request body, or {@code null} */
    public String statement() {
        if (requestBody == null || requestBody.isEmpty()) {
            return null;
        }
        try {
            JsonNode stmt = JSON.readTree(requestBody).path("stmt");
            return stmt.isString() ? stmt.asString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** @return the response's content type, or {@code null} (401 bodies have none) */
    public String contentType() {
        return responseHeaders.get("content-type");
    }
}
