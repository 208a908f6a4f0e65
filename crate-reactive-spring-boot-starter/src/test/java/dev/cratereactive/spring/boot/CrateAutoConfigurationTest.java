package dev.cratereactive.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cratereactive.CrateClient;
import dev.cratereactive.Node;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.CursorNode;
import dev.cratereactive.testing.RecordedRequest;
import dev.cratereactive.testing.Reply;
import dev.cratereactive.tls.CrateTls;
import java.time.Duration;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;

/** The auto-configuration in application contexts built by {@link ApplicationContextRunner}. */
class CrateAutoConfigurationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CrateTestServer crate = CrateTestServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CrateAutoConfiguration.class))
        // Spring binds environment variables too: the CrateDB kit's CRATEDB_JWT would become cratedb.jwt.
        .withInitializer(context -> context.getEnvironment().getPropertySources()
            .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME));

    @AfterEach
    void stop() {
        crate.close();
    }

    @Test
    void withoutPropertiesTheClientTalksToLocalhost4200() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CrateClient.class);
            assertThat(context.getBean(CrateClient.class).nodes()).extracting(Node::host, Node::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("localhost", 4200));
        });
    }

    @Test
    void propertiesReachTheRequests() {
        crate.respond(Reply.json(200, "{\"cols\":[\"one\"],\"col_types\":[9],\"rows\":[[1]],\"rowcount\":1,\"duration\":1.0}"));
        runner.withPropertyValues("cratedb.nodes=" + crate.url(), "cratedb.username=alice", "cratedb.password=s3cret",
                "cratedb.schema=sensors", "cratedb.error-trace=true", "cratedb.pool.max-connections=4",
                "cratedb.keepalive.idle=60s", "cratedb.node-order=in-order")
            .run(context -> {
                CrateClient client = context.getBean(CrateClient.class);
                assertThat(client.sql("SELECT 1 AS one").map(row -> row.get("one")).collectList().block(WAIT))
                    .containsExactly(1);
                RecordedRequest request = crate.requests().get(0);
                assertThat(request.header("Authorization")).isEqualTo(
                    "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
                assertThat(request.header("Default-Schema")).isEqualTo("sensors");
                assertThat(request.uri()).contains("error_trace=true");
                assertThat(context.getBean(CrateProperties.class).toString()).doesNotContain("s3cret");
            });
    }

    @Test
    void aDefaultFetchSizeReadsSelectsThroughACursor() {
        CursorNode node = new CursorNode(7);
        crate.respond(node);
        runner.withPropertyValues("cratedb.nodes=" + crate.url(), "cratedb.default-fetch-size=3").run(context -> {
            CrateClient client = context.getBean(CrateClient.class);
            assertThat(client.sql("SELECT x, label FROM t").collectList().block(WAIT)).hasSize(7);
            assertThat(crate.requests().get(0).statement()).startsWith("DECLARE ");
            assertThat(node.fetches()).as("3 + 3 + 1 rows").isEqualTo(3);
        });
    }

    @Test
    void customizersRunAfterTheProperties() {
        crate.respond(Reply.json(200, "{\"cols\":[],\"rowcount\":0,\"duration\":1.0}"));
        runner.withPropertyValues("cratedb.nodes=" + crate.url())
            .withBean(CrateClientBuilderCustomizer.class, () -> builder -> builder.jwt(() -> "token-from-supplier"))
            .run(context -> {
                context.getBean(CrateClient.class).execute("REFRESH TABLE t").block(WAIT);
                assertThat(crate.requests().get(0).header("Authorization")).isEqualTo("Bearer token-from-supplier");
            });
    }

    @Test
    void backsOffWhenTheApplicationDefinesAClient() {
        CrateClient own = CrateClient.create(crate.url());
        runner.withBean("myClient", CrateClient.class, () -> own)
            .run(context -> assertThat(context).getBean(CrateClient.class).isSameAs(own));
        own.close();
    }

    @Test
    void closingTheContextClosesTheClientAndItsConnections() {
        crate.respond(Reply.json(200, "{\"cols\":[],\"rowcount\":0,\"duration\":1.0}"));
        runner.withPropertyValues("cratedb.nodes=" + crate.url()).run(context -> {
            context.getBean(CrateClient.class).execute("REFRESH TABLE t").block(WAIT);
            assertThat(crate.openConnections()).as("the pooled connection stays open while the context runs").isEqualTo(1);
        });
        await().atMost(WAIT).until(() -> crate.openConnections() == 0);
    }

    @Test
    void aBadOptionFailsTheStartNamingIt() {
        runner.withPropertyValues("cratedb.max-retries=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("maxRetries").hasMessageContaining("-1");
        });
        runner.withPropertyValues("cratedb.keepalive.enabled=false", "cratedb.keepalive.idle=30s").run(context ->
            assertThat(context).hasFailed());
    }

    @Test
    void tlsFilesAreReadAtStartAndAMissingFileIsNamed() {
        runner.withPropertyValues("cratedb.nodes=https://db.example.com:4200", "cratedb.tls.ca-certificate=/nonexistent/ca.pem")
            .run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("/nonexistent/ca.pem");
            });
    }

    @Test
    void tlsPropertiesWithoutTheTlsModuleSayWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(CrateTls.class))
            .withPropertyValues("cratedb.tls.verify-server-certificate=false")
            .run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("crate-reactive-tls");
            });
        runner.withClassLoader(new FilteredClassLoader(CrateTls.class))
            .run(context -> assertThat(context).hasSingleBean(CrateClient.class));
    }
}
