package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: a client without a meter or observation registry runs with no Micrometer class on the
 * class path. The client, a node and a query run in a class loader that sees the test class path less every
 * Micrometer jar.
 */
class MicrometerAbsentTest {

    /** Runs inside the class loader without Micrometer. */
    public static final class QueryWithoutMicrometer implements Callable<String> {
        @Override
        public String call() {
            try (dev.cratereactive.testing.CrateTestServer server = dev.cratereactive.testing.CrateTestServer.start()
                    .respond(dev.cratereactive.testing.Reply.transcript("select-simple"));
                 CrateClient client = CrateClient.builder().nodes(server.url())
                     .defaultTimeout(java.time.Duration.ofSeconds(10)).build()) {
                Row row = client.sql(Statement.of("SELECT 1").tag("no-micrometer")).blockFirst(java.time.Duration.ofSeconds(10));
                List<NodeHealth> health = client.health().block(java.time.Duration.ofSeconds(10));
                return row.get(0) + " " + health.get(0).ready();
            }
        }
    }

    @Test
    void aClientWithoutRegistriesRunsWithoutMicrometerOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : testClassPath()) {
            if (!entry.contains("micrometer")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader))
                .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("io.micrometer.observation.ObservationRegistry", false, loader))
                .isInstanceOf(ClassNotFoundException.class);
            Class<?> probe = Class.forName(QueryWithoutMicrometer.class.getName(), true, loader);
            assertThat(probe.getClassLoader()).isSameAs(loader);
            @SuppressWarnings("unchecked")
            Callable<String> query = (Callable<String>) probe.getConstructor().newInstance();
            assertThat(query.call()).isEqualTo("1 true");
        }
    }

    /** Surefire may pass the class path in a manifest-only jar; expand it. */
    private static List<String> testClassPath() throws MalformedURLException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("surefirebooter") && entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry)) {
                    for (String url : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")) {
                        if (!url.isBlank()) {
                            entries.add(Path.of(java.net.URI.create(url)).toString());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                entries.add(entry);
            }
        }
        return entries;
    }
}
