package dev.cratereactive.examples.webflux;

import dev.cratereactive.examples.ExampleNodes;
import dev.cratereactive.examples.FoundCrateDb;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.event.ContextClosedEvent;

/**
 * A Spring WebFlux service backed by CrateDB through one {@link dev.cratereactive.CrateClient} bean:
 * <ul>
 *   <li>{@code GET /measurements?limit=100} streams the latest measurements as they come from CrateDB, as
 *       NDJSON ({@code Accept: application/x-ndjson}) or server-sent events ({@code Accept: text/event-stream});</li>
 *   <li>{@code POST /measurements} takes a JSON array or NDJSON of measurements, inserts them in bulk batches and
 *       answers which rows CrateDB rejected.</li>
 * </ul>
 * Configuration: the starter's {@code cratedb.*} (nodes, credentials, timeouts, pool, TLS; see
 * {@link dev.cratereactive.spring.boot.CrateProperties}) and {@code measurements.table}, {@code measurements.batch-size},
 * {@code measurements.create-table} ({@link MeasurementProperties}). Unless {@code --cratedb.nodes=...} is given, {@link #main} finds CrateDB as every example
 * does ({@link ExampleNodes}): {@code CRATEDB_URL}, else {@code http://localhost:4200}, else a container started with
 * Testcontainers, which then runs as long as the service and is stopped when it shuts down.
 *
 * <pre>mvn -q -pl examples exec:java@webflux
 * curl -H 'Content-Type: application/x-ndjson' --data-binary $'{"id":1,"sensor":"kitchen","celsius":21.5,"takenAt":"2024-02-29T12:00:00Z"}\n' localhost:8080/measurements
 * curl -H 'Accept: application/x-ndjson' 'localhost:8080/measurements?limit=10'</pre>
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MeasurementServiceApplication {

    /**
     * @param args Spring Boot arguments, e.g. {@code --server.port=8081}
     */
    public static void main(String[] args) {
        if (Arrays.stream(args).anyMatch(arg -> arg.startsWith("--cratedb.nodes="))) {
            SpringApplication.run(MeasurementServiceApplication.class, args);
            return;
        }
        FoundCrateDb crate;
        try {
            crate = ExampleNodes.Lookup.fromEnvironment().find(System.out);
        } catch (ExampleNodes.NoCrateDbException e) {
            System.err.println(e.getMessage());
            System.exit(ExampleNodes.NOT_FOUND_STATUS);
            return;
        }
        try {
            application(crate).run(args);
        } catch (RuntimeException e) {
            crate.close(); // start-up failed: no context to close, so no event
            throw e;
        }
    }

    /**
     * @param crate where CrateDB is
     * @return the service on {@code crate}'s nodes ({@code cratedb.nodes} unless set otherwise), closing {@code crate}
     *     (stopping its container, if the lookup started one) when the application context closes
     */
    static SpringApplication application(FoundCrateDb crate) {
        SpringApplication application = new SpringApplication(MeasurementServiceApplication.class);
        application.setDefaultProperties(Map.of("cratedb.nodes", String.join(",", crate.nodes())));
        application.addListeners(event -> {
            if (event instanceof ContextClosedEvent) {
                crate.close();
            }
        });
        return application;
    }
}
