package dev.cratereactive.examples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A Spring WebFlux service backed by CrateDB through one {@link dev.cratereactive.CrateClient} bean:
 * <ul>
 *   <li>{@code GET /measurements?limit=100} streams the latest measurements as they come from CrateDB, as
 *       NDJSON ({@code Accept: application/x-ndjson}) or server-sent events ({@code Accept: text/event-stream});</li>
 *   <li>{@code POST /measurements} takes a JSON array or NDJSON of measurements, inserts them in bulk batches and
 *       answers which rows CrateDB rejected.</li>
 * </ul>
 * Configuration: {@code crate.nodes} (default: {@code CRATEDB_URL} or {@code http://localhost:4200}),
 * {@code crate.table}, {@code crate.batch-size}, {@code crate.create-table}; see {@link CrateProperties}.
 *
 * <pre>mvn -q -pl examples exec:java@webflux
 * curl -H 'Content-Type: application/x-ndjson' --data-binary $'{"id":1,"sensor":"kitchen","celsius":21.5,"takenAt":"2024-02-29T12:00:00Z"}\n' localhost:8080/measurements
 * curl -H 'Accept: application/x-ndjson' 'localhost:8080/measurements?limit=10'</pre>
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MeasurementServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MeasurementServiceApplication.class, args);
    }
}
