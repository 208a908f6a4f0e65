package dev.cratereactive.examples.webflux;

import dev.cratereactive.CrateClient;
import dev.cratereactive.CrateConnectionException;
import dev.cratereactive.examples.ExampleNodes;
import java.time.Duration;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link CrateClient} for the whole application, closed (its connection pool with it) on shutdown. */
@Configuration(proxyBeanMethods = false)
class CrateConfiguration {

    @Bean(destroyMethod = "close")
    CrateClient crateClient(CrateProperties properties) {
        return CrateClient.builder().nodes(properties.nodes()).build();
    }

    @Bean
    MeasurementRepository measurementRepository(CrateClient crateClient, CrateProperties properties) {
        return new MeasurementRepository(crateClient, properties.table(), properties.batchSize());
    }

    /** Creates the table before the service takes requests; start-up fails, saying why, if CrateDB cannot be reached. */
    @Bean
    ApplicationRunner createTable(MeasurementRepository repository, CrateProperties properties) {
        return arguments -> {
            if (properties.createTable()) {
                repository.createTable()
                    .onErrorMap(CrateConnectionException.class,
                        e -> new IllegalStateException(ExampleNodes.notFoundMessage(properties.nodes()), e))
                    .block(Duration.ofSeconds(60));
            }
        };
    }
}
