package dev.cratereactive.internal.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/** Reads the recorded CrateDB transcripts under {@code src/test/resources/transcripts}. */
final class Transcripts {

    private static final JsonFactory JSON = new JsonFactory();

    /** One recorded exchange: the response status and its exact body. */
    record Transcript(String name, int status, String body) {
        byte[] bodyBytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Transcripts() {
    }

    static Transcript load(String name) {
        String file = name.endsWith(".json") ? name : name + ".json";
        try (InputStream in = Transcripts.class.getResourceAsStream("/transcripts/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + file);
            }
            return parse(file.substring(0, file.length() - 5), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every transcript of a {@code /_sql} exchange whose response body is a JSON object */
    static List<Transcript> sqlJsonResponses() {
        List<Transcript> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(Transcripts.class.getResource("/transcripts").toURI()))) {
            files.map(path -> path.getFileName().toString())
                .filter(file -> file.endsWith(".json") && !file.startsWith("cases"))
                .sorted()
                .map(Transcripts::load)
                .filter(t -> t.body().startsWith("{\"") && !t.name().equals("root-info"))
                .forEach(all::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }

    private static Transcript parse(String name, byte[] json) {
        int status = -1;
        String body = null;
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("response")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String inner = p.currentName();
                    JsonToken value = p.nextToken();
                    if (inner.equals("status")) {
                        status = p.getIntValue();
                    } else if (inner.equals("body")) {
                        body = value == JsonToken.VALUE_NULL ? "" : p.getString();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        if (status < 0 || body == null) {
            throw new IllegalStateException("transcript " + name + " lacks response status or body");
        }
        return new Transcript(name, status, body);
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " but got " + actual);
        }
    }
}
