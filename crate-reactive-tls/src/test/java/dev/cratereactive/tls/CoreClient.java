package dev.cratereactive.tls;

import dev.cratereactive.CrateClient;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether core's {@link CrateClient} can run a query yet. It is being written on branch main; until its request
 * codec is in, every query fails with UnsupportedOperationException before any I/O. Tests through the client call
 * {@link #assumeWorking()} first, so they are skipped with that reason until then, and run by themselves after.
 */
final class CoreClient {

    private static volatile String missing;
    private static volatile boolean probed;

    private CoreClient() {
    }

    static void assumeWorking() {
        String reason = missingReason();
        Assumptions.assumeTrue(reason == null, reason);
    }

    /** @return why the client cannot run a query, or {@code null} when it can (or fails in some other way) */
    static synchronized String missingReason() {
        if (!probed) {
            missing = probe();
            probed = true;
        }
        return missing;
    }

    private static String probe() {
        try (TlsTestServer plain = TlsTestServer.plainHttp();
             CrateClient client = CrateClient.builder().nodes(plain.url("http", "127.0.0.1")).maxRetries(0).build()) {
            client.sql("SELECT 1 AS x").collectList().block(Duration.ofSeconds(15));
            return null;
        } catch (UnsupportedOperationException e) {
            return "core's CrateClient cannot run a query yet (" + e.getMessage() + "); needs the codec from branch main";
        } catch (RuntimeException e) {
            return null; // any other failure is for the tests themselves to report
        }
    }
}
