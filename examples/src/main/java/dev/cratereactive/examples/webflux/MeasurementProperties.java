package dev.cratereactive.examples.webflux;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's own settings ({@code measurements.*}). Where CrateDB is ({@code cratedb.nodes}, credentials,
 * timeouts, ...) is the starter's {@code cratedb.*} ({@link dev.cratereactive.spring.boot.CrateProperties}).
 *
 * @param table the measurements table (default {@code measurements})
 * @param batchSize rows per bulk request when inserting (default 500)
 * @param createTable whether to create the table at start-up if it does not exist (default true)
 */
@ConfigurationProperties("measurements")
public record MeasurementProperties(@DefaultValue("measurements") String table, @DefaultValue("500") int batchSize,
                                    @DefaultValue("true") boolean createTable) {

    public MeasurementProperties {
        if (!table.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
            throw new IllegalArgumentException("measurements.table: a plain (optionally schema-qualified) lower-case name, was '"
                + table + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("measurements.batch-size: must be positive, was " + batchSize);
        }
    }
}
