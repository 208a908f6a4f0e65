package dev.cratereactive.examples.webflux;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's CrateDB settings ({@code crate.*}).
 *
 * @param nodes node URLs, at least one (set by {@link MeasurementServiceApplication#main} from the examples' lookup:
 *     {@code CRATEDB_URL}, else {@code http://localhost:4200}, else a Testcontainers CrateDB)
 * @param table the measurements table (default {@code measurements})
 * @param batchSize rows per bulk request when inserting (default 500)
 * @param createTable whether to create the table at start-up if it does not exist (default true)
 */
@ConfigurationProperties("crate")
public record CrateProperties(List<String> nodes, @DefaultValue("measurements") String table,
                              @DefaultValue("500") int batchSize, @DefaultValue("true") boolean createTable) {

    public CrateProperties {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("crate.nodes: at least one CrateDB node URL is needed");
        }
        if (!table.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
            throw new IllegalArgumentException("crate.table: a plain (optionally schema-qualified) lower-case name, was '"
                + table + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("crate.batch-size: must be positive, was " + batchSize);
        }
    }
}
