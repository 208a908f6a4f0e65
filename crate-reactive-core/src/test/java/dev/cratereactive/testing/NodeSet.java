package dev.cratereactive.testing;

import java.util.List;

/**
 * The kinds of real CrateDB an integration test can ask for ({@code @RealCrateDb(NodeSet.AUTH)}), each named by
 * the environment variables that point at it. {@code ../shared/cratedb/cratedb.sh start plain auth tls cluster}
 * starts all four on loopback and prints these variables.
 */
public enum NodeSet {

    /** One node (or several nodes of one cluster, comma-separated) without authentication: {@code CRATEDB_URL}. */
    PLAIN("CRATEDB_URL"),
    /**
     * A node with host-based authentication: superuser {@code crate} trusted, any other user by password, and the
     * user {@code CRATEDB_JWT_USER} by the token {@code CRATEDB_JWT}.
     */
    AUTH("CRATEDB_AUTH_URL", "CRATEDB_JWT", "CRATEDB_JWT_USER"),
    /**
     * An HTTPS node whose certificates and client keys are in the directory {@code CRATEDB_PKI}: {@code crate}
     * authenticates by client certificate, {@code alice}/{@code secret} by password.
     */
    TLS("CRATEDB_TLS_URL", "CRATEDB_PKI"),
    /**
     * Three nodes of one cluster ({@code CRATEDB_CLUSTER_URLS}) and the shell commands that stop and restart one of
     * them ({@code CRATEDB_STOP_NODE_COMMAND}, {@code CRATEDB_START_NODE_COMMAND}).
     */
    CLUSTER("CRATEDB_CLUSTER_URLS", "CRATEDB_STOP_NODE_COMMAND", "CRATEDB_START_NODE_COMMAND");

    private final List<String> variables;

    NodeSet(String... variables) {
        this.variables = List.of(variables);
    }

    /** @return the environment variable with the node URL(s) of this set */
    public String urlVariable() {
        return variables.get(0);
    }

    /** @return every environment variable this set needs, the URL variable first */
    public List<String> variables() {
        return variables;
    }
}
