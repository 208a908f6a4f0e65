package dev.cratereactive.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a user writes by hand without this client: the JDK {@link HttpClient} (HTTP/1.1, default executor),
 * request bodies written by Jackson databind, each whole response body read into a byte array and then into a
 * {@link JsonNode} tree. {@code ofByteArray()} + {@code readTree(byte[])} is the cheapest of the usual hand-written
 * forms ({@code ofString()}, {@code ofInputStream()}, {@code readValue(.., Map.class)}), so it is the hardest
 * baseline to beat among them.
 */
final class Baseline {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;

    /** @param node base URL of the node */
    Baseline(String node) {
        this.uri = URI.create(node + "/_sql?types");
    }

    /**
     * @param body the JSON request body
     * @return the request
     */
    HttpRequest request(byte[] body) {
        return HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    }

    /**
     * @param stmt the statement
     * @return {@code {"stmt": stmt}} encoded by databind
     */
    static byte[] statement(String stmt) {
        return MAPPER.writeValueAsBytes(Map.of("stmt", stmt));
    }

    /**
     * @param request the request
     * @return the response tree, read in the calling thread
     */
    JsonNode send(HttpRequest request) {
        try {
            return tree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param request the request
     * @return the response tree, read on the client's executor
     */
    CompletableFuture<JsonNode> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(Baseline::tree);
    }

    private static JsonNode tree(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        return MAPPER.readTree(response.body());
    }

    /** Lets the client's threads go (JDK 21 has close(); on 17 they end when the client is unreachable). */
    void close() {
        // nothing to do on JDK 17
    }
}
