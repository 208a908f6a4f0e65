package dev.cratereactive.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real CrateDB. {@link CrateDbExtension} supplies it: the node(s) of
 * {@code CRATEDB_URL} when set (a comma-separated list for several nodes of one cluster), else a Testcontainers
 * CrateDB shared by every test of the run when a Docker engine is reachable, else every test of the class is
 * skipped with the reason.
 *
 * <p>Test methods may declare a {@link CrateDb} parameter (node addresses, extra clients, unique table names,
 * clean-up) or a {@link dev.cratereactive.CrateClient} parameter (a client for all nodes); both are closed after
 * the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("real-cratedb")
@ExtendWith(CrateDbExtension.class)
public @interface RealCrateDb {
}
