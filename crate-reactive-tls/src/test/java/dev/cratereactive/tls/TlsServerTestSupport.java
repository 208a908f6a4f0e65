package dev.cratereactive.tls;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Certificates issued once per test class into a temporary folder, and one HTTPS server per test. */
abstract class TlsServerTestSupport {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static TestPki pki;

    TlsTestServer server;

    @BeforeAll
    static void issueCertificates() {
        pki = new TestPki(dir);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
