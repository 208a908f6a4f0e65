package dev.cratereactive.flink;

import dev.cratereactive.CrateClient;
import java.io.Serializable;

/**
 * Creates the {@link CrateClient} of one sink writer (one per parallel subtask), on the task manager. Serializable:
 * it travels with the job graph, so whatever it captures (node URLs, credentials) must be serializable too. Keep
 * secrets out of fields that a {@code toString()} would print.
 *
 * <pre>{@code
 * ClientFactory factory = () -> CrateClient.builder().nodes("https://crate:4200").username("ingest").password(pw).build();
 * }</pre>
 */
@FunctionalInterface
public interface ClientFactory extends Serializable {

    /**
     * @return a new client; the sink writer closes it when it closes
     */
    CrateClient create();
}
