package dev.cratereactive.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real CrateDB of one {@link NodeSet} (default {@link NodeSet#PLAIN}).
 * {@link CrateDbExtension} supplies it from the set's environment variables; for {@code PLAIN} without
 * {@code CRATEDB_URL} it starts a Testcontainers CrateDB when a Docker engine is reachable. When no server can be
 * had, every test of the class is skipped with a reason naming the missing variable.
 *
 * <p>Test methods may declare a {@link CrateDb} parameter (node addresses, extra clients, unique table names,
 * clean-up, the set's credentials and commands) or a {@link dev.cratereactive.CrateClient} parameter (a client for
 * all nodes); both are closed after the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("real-cratedb")
@ExtendWith(CrateDbExtension.class)
public @interface RealCrateDb {

    /** @return the kind of server the tests need */
    NodeSet value() default NodeSet.PLAIN;
}
