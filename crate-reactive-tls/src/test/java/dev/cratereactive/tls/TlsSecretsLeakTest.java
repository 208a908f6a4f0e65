package dev.cratereactive.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS passwords never leak (issue 15, point 4): encrypted client keys and key stores opened with recognisable
 * right and wrong passwords; every exception (cause chain and suppressed) and the {@code toString()} of builders
 * and configurations are scanned for both.
 */
class TlsSecretsLeakTest {

    private static final String KEY_PASSWORD = "keypw-S3CRET-4d1e";
    private static final String WRONG = "wrongpw-S3CRET-88c3";
    private static final String STORE_PASSWORD = "storepw-S3CRET-a9f0";

    @TempDir
    Path dir;

    @Test
    void keyAndStorePasswordsStayOutOfExceptionsAndToString() {
        TestPki pki = new TestPki(dir);
        Path certificate = pki.certificatesPem("client.pem", pki.rsaClient.certificate());
        Path key = pki.encryptedPkcs8Key("client.key", pki.rsaClient.key(), KEY_PASSWORD);
        Path store = pki.keyStore("client.p12", "PKCS12", STORE_PASSWORD, KEY_PASSWORD, pki.rsaClient);
        List<Object> scanned = new ArrayList<>();

        CrateTls.Builder right = CrateTls.builder().clientCertificate(certificate, key)
            .clientKeyPassword(KEY_PASSWORD.toCharArray());
        scanned.add(right);
        scanned.add(right.build());
        CrateTls.Builder fromStore = CrateTls.builder().keyStore(store, STORE_PASSWORD.toCharArray())
            .clientKeyPassword(KEY_PASSWORD.toCharArray());
        scanned.add(fromStore);
        scanned.add(fromStore.build());
        scanned.add(failure(() -> CrateTls.builder().clientCertificate(certificate, key)
            .clientKeyPassword(WRONG.toCharArray()).build()));
        scanned.add(failure(() -> CrateTls.builder().clientCertificate(certificate, key).build()));
        scanned.add(failure(() -> CrateTls.builder().keyStore(store, WRONG.toCharArray()).build()));
        scanned.add(failure(() -> CrateTls.builder().keyStore(store, STORE_PASSWORD.toCharArray())
            .clientKeyPassword(WRONG.toCharArray()).build()));

        StringBuilder text = new StringBuilder();
        for (Object item : scanned) {
            if (item instanceof Throwable error) {
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                text.append(trace);
            } else {
                text.append(item);
            }
            text.append('\n');
        }
        assertThat(scanned.stream().filter(Throwable.class::isInstance)).as("failures scanned").hasSize(4);
        for (String secret : List.of(KEY_PASSWORD, WRONG, STORE_PASSWORD, "S3CRET")) {
            assertThat(text.toString()).doesNotContain(secret);
        }
    }

    private static Throwable failure(Runnable build) {
        try {
            build.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the build to fail");
    }
}
