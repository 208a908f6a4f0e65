package dev.cratereactive.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cratereactive.examples.CrateResponses;
import dev.cratereactive.examples.FoundCrateDb;
import dev.cratereactive.testing.CrateTestServer;
import dev.cratereactive.testing.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The CrateDB the lookup started lives as long as the service: its nodes are the service's, and shutdown stops it. */
class MeasurementServiceLifecycleTest {

    @Test
    void usesTheCrateDbItWasGivenAndStopsItOnShutdown() {
        try (CrateTestServer crate = CrateTestServer.start()) {
            crate.respond(CrateResponses.ddl());
            AtomicInteger stops = new AtomicInteger();
            FoundCrateDb started = FoundCrateDb.started(List.of(crate.url()), "crate:6.4.3", stops::incrementAndGet);

            ConfigurableApplicationContext context = MeasurementServiceApplication.application(started)
                .run("--server.port=0");
            try {
                assertThat(context.getBean(dev.cratereactive.spring.boot.CrateProperties.class).getNodes()).containsExactly(crate.url());
                assertThat(crate.requests()).extracting(RecordedRequest::statement).singleElement().asString()
                    .startsWith("CREATE TABLE IF NOT EXISTS measurements");
                assertThat(stops).hasValue(0);
            } finally {
                context.close();
            }

            assertThat(stops).hasValue(1);
        }
    }
}
