package dev.cratereactive.internal.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the recorded CrateDB transcripts under {@code src/test/resources/transcripts}. */
final class Transcripts {

    /** One recorded exchange: the response status and its exact body. */
    record Transcript(String name, int status, String body) {
        byte[] bodyBytes() {
            return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Transcripts() {
    }

    static Transcript load(String name) {
        // One loader for every test: the in-process server's.
        dev.cratereactive.testing.Transcript loaded =
            dev.cratereactive.testing.Transcript.load(name.endsWith(".json") ? name.substring(0, name.length() - 5) : name);
        return new Transcript(loaded.name(), loaded.status(), loaded.responseBody());
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
}
