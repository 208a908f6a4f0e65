package dev.cratereactive.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.CrateClient;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;

/** Health, metrics and traces wired from the application's beans. */
class OperabilityAutoConfigurationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EMPTY = "{\"cols\":[],\"rowcount\":0,\"duration\":1.0}";

    private final CrateTestServer crate = CrateTestServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CrateAutoConfiguration.class))
        // Spring binds environment variables too: the CrateDB kit's CRATEDB_JWT would become cratedb.jwt.
        .withInitializer(context -> context.getEnvironment().getPropertySources()
            .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME))
        .withPropertyValues("cratedb.nodes=" + crate.url());

    @AfterEach
    void stop() {
        crate.close();
    }

    @Test
    void healthIsUpWhileANodeIsReadyAndDownWhenNoneIs() {
        runner.run(context -> {
            ReactiveHealthIndicator indicator = context.getBean("cratedbHealthIndicator", ReactiveHealthIndicator.class);
            Health up = indicator.health(true).block(WAIT);
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails().get("nodes")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .singleElement().asString().contains(crate.url()).contains("ready=true");

            crate.respondToProbes(Reply.json(503, "{}"));
            Health down = indicator.health(true).block(WAIT);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(crate.probes()).hasSizeGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void callsAreMeteredInTheApplicationsRegistry() {
        crate.respond(Reply.json(200, EMPTY));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            context.getBean(CrateClient.class).execute("REFRESH TABLE t").block(WAIT);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("cratedb.client.calls").timer()).isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
        });
    }

    @Test
    void callsAreObservedInTheApplicationsObservationRegistry() {
        crate.respond(Reply.json(200, EMPTY));
        List<String> observed = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                observed.add(context.getName());
            }
        });
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            context.getBean(CrateClient.class).execute("REFRESH TABLE t").block(WAIT);
            assertThat(observed).contains("cratedb.client.call", "cratedb.client.attempt");
        });
    }

    @Test
    void withoutMicrometerOrHealthTheClientIsStillConfigured() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class, ReactiveHealthIndicator.class))
            .run(context -> {
                assertThat(context).hasSingleBean(CrateClient.class);
                assertThat(context).doesNotHaveBean("cratedbHealthIndicator");
            });
    }
}
