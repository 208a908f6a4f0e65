package dev.cratereactive.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

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

    /** @return servers whose certificate fails verification, with the host name to connect to */
    static Stream<Arguments> untrustedServers() {
        Function<TestPki, TestPki.Issued> unknownCa = p -> p.serverOfUnknownCa;
        Function<TestPki, TestPki.Issued> otherHost = p -> p.serverForOtherHost;
        Function<TestPki, TestPki.Issued> expired = p -> p.expiredServer;
        return Stream.of(
            Arguments.of("unknown CA", unknownCa, "127.0.0.1"),
            Arguments.of("other host, by IP", otherHost, "127.0.0.1"),
            Arguments.of("other host, by name", otherHost, "localhost"),
            Arguments.of("expired", expired, "127.0.0.1"));
    }
}
