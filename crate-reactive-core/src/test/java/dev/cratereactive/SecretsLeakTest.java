package dev.cratereactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Credentials never leak (issue 15, point 4): the authentication paths (Basic from the builder and from the URL,
 * JWT as a value and from a supplier) and the error paths (401, SQL errors, a refused connection, parameters of a
 * failed statement) run with recognisable secrets, and every log line (slf4j-simple writes to System.err, which
 * this test captures; its own surefire execution runs it with every logger at TRACE), every exception (message,
 * whole cause chain and suppressed, as {@code printStackTrace} prints them) and the {@code toString()} of
 * builders, clients and statements, every meter's name and tags and every observation's names and key values
 * (low and high cardinality) are scanned for them.
 */
class SecretsLeakTest {

    private static final String PASSWORD = "pw-S3CRET-7f41c2";
    private static final String URL_PASSWORD = "urlpw-S3CRET-9b2e";
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTRUNSRVQifQ.tok-S3CRET-55aa";
    private static final String PARAMETER = "param-S3CRET-c0ffee";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final CrateTestServer server = CrateTestServer.start();
    private final List<Object> scanned = new ArrayList<>();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ObservationRegistry observations = ObservationRegistry.create();
    private final List<String> observed = java.util.Collections.synchronizedList(new ArrayList<>());
    private PrintStream originalErr;
    private PrintStream originalOut;

    @BeforeEach
    void captureLogs() {
        originalErr = System.err;
        originalOut = System.out;
        PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                captured.write(b);
                originalErr.write(b);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        observations.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                observed.add(context.getName() + " " + context.getContextualName() + " " + context.getAllKeyValues()
                    + " " + context.getError());
            }

            @Override
            public void onError(Observation.Context context) {
                observed.add(String.valueOf(context.getError()));
            }
        });
    }

    /** @return the builder reporting to this test's meter and observation registries */
    private CrateClientBuilder observed(CrateClientBuilder builder) {
        return builder.meterRegistry(meters).observationRegistry(observations);
    }

    @AfterEach
    void restoreAndClose() {
        System.setErr(originalErr);
        System.setOut(originalOut);
        server.close();
    }

    @Test
    void basicJwtAndUrlCredentialsStayOutOfLogsExceptionsAndToString() {
        server.respond(Reply.transcript("auth-basic-wrong-password"));
        CrateClientBuilder basic = CrateClient.builder().nodes(server.url()).username("crate").password(PASSWORD);
        CrateClientBuilder fromUrl = CrateClient.builder()
            .nodes(server.url().replace("://", "://crate:" + URL_PASSWORD + "@"));
        CrateClientBuilder jwt = CrateClient.builder().nodes(server.url()).jwt(TOKEN);
        Supplier<String> tokens = () -> TOKEN;
        CrateClientBuilder jwtSupplier = CrateClient.builder().nodes(server.url()).jwt(tokens);

        for (CrateClientBuilder builder : List.of(basic, fromUrl, jwt, jwtSupplier)) {
            scanned.add(builder);
            try (CrateClient client = observed(builder).build()) {
                scanned.add(client);
                Statement statement = Statement.of("SELECT ? AS secret", PARAMETER);
                scanned.add(statement);
                scanned.add(failure(client.sql(statement).then()));
                scanned.add(failure(client.execute("SELECT ?", PARAMETER).then()));
                scanned.add(failure(client.bulk("INSERT INTO t (s) VALUES (?)", List.of(List.of(PARAMETER))).then()));
            }
        }
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).as("the secrets did reach the server: the scan below is not vacuous")
            .anySatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString(("crate:" + PASSWORD).getBytes(StandardCharsets.UTF_8))))
            .anySatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString(("crate:" + URL_PASSWORD).getBytes(StandardCharsets.UTF_8))))
            .anySatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN));
        assertNoSecretAnywhere(true);
    }

    @Test
    void sqlErrorsAndRefusedConnectionsDoNotQuoteCredentialsOrParameters() {
        server.respond(Reply.transcript("error-type-cast"));
        try (CrateClient client = observed(CrateClient.builder().nodes(server.url()).username("crate").password(PASSWORD))
            .build()) {
            scanned.add(client);
            scanned.add(failure(client.execute("SELECT ?::integer", PARAMETER).then()));
        }
        CrateClientBuilder refused = CrateClient.builder()
            .nodes("http://crate:" + URL_PASSWORD + "@127.0.0.1:" + CrateTestServer.unusedPort(),
                "http://127.0.0.1:" + CrateTestServer.unusedPort() + "/")
            .maxRetries(1).backoffFactor(Duration.ofMillis(1));
        scanned.add(refused);
        try (CrateClient client = observed(refused).build()) {
            scanned.add(client);
            scanned.add(failure(client.sql("SELECT ?", PARAMETER).then()));
        }
        assertNoSecretAnywhere(true);
    }

    @Test
    void invalidOptionsDoNotEchoTheSecret() {
        scanned.add(failure(Mono.fromCallable(() -> CrateClient.builder()
            .nodes("http://crate:" + URL_PASSWORD + "@127.0.0.1:4200", "http://127.0.0.1:4200").build())));
        // A URL whose credentials make it invalid otherwise: the message must name the option, not the password.
        scanned.add(failure(Mono.fromCallable(() -> CrateClient.builder()
            .nodes("ftp://crate:" + URL_PASSWORD + "@127.0.0.1:4200").build())));
        scanned.add(failure(Mono.fromCallable(() -> CrateClient.builder()
            .nodes("http://crate:" + URL_PASSWORD + "@127.0.0.1:4200").jwt(TOKEN).username("x").build())));
        assertNoSecretAnywhere(false);
    }

    private static Throwable failure(Mono<?> mono) {
        try {
            mono.block(WAIT);
        } catch (Throwable e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    /** @param telemetry whether clients reported to the registries: then meters and observations must exist */
    private void assertNoSecretAnywhere(boolean telemetry) {
        StringBuilder everything = new StringBuilder();
        for (Object item : scanned) {
            if (item instanceof Throwable error) {
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                everything.append(trace).append('\n');
            } else {
                everything.append(item).append('\n');
            }
        }
        for (Meter meter : meters.getMeters()) {
            everything.append(meter.getId()).append('\n');
        }
        everything.append(String.join("\n", observed)).append('\n');
        System.err.flush();
        everything.append(captured.toString(StandardCharsets.UTF_8));
        String text = everything.toString();
        assertThat(scanned).as("something was scanned").isNotEmpty();
        if (telemetry) {
            assertThat(observed).as("observations recorded").isNotEmpty();
            assertThat(meters.getMeters()).as("meters registered").isNotEmpty();
        }
        for (String secret : List.of(PASSWORD, URL_PASSWORD, TOKEN, "tok-S3CRET", PARAMETER,
            Base64.getEncoder().encodeToString(("crate:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))) {
            assertThat(text).as("scanned text (logs, exceptions, toString)").doesNotContain(secret);
        }
    }
}
