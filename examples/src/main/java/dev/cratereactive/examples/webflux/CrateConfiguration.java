package dev.cratereactive.examples.webflux;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.examples.ExampleNodes;
import dev.cratereactive.spring.boot.CrateProperties;
import java.time.Duration;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service's beans on top of the {@link CrateClient} that crate-reactive-spring-boot-starter configures from
 * {@code cratedb.*} (and closes, its connection pool with it, on shutdown).
 */
@Configuration(proxyBeanMethods = false)
class CrateConfiguration {

    @Bean
    MeasurementRepository measurementRepository(CrateClient crateClient, MeasurementProperties properties) {
        return new MeasurementRepository(crateClient, properties.table(), properties.batchSize());
    }

    /** Creates the table before the service takes requests; start-up fails, saying why, if CrateDB cannot be reached. */
    @Bean
    ApplicationRunner createTable(MeasurementRepository repository, MeasurementProperties properties,
                                  CrateProperties crate) {
        return arguments -> {
            if (properties.createTable()) {
                repository.createTable()
                    .onErrorMap(CrateConnectionException.class,
                        e -> new IllegalStateException(ExampleNodes.notFoundMessage(crate.getNodes()), e))
                    .block(Duration.ofSeconds(60));
            }
        };
    }
}
