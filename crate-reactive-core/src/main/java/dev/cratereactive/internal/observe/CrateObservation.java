package dev.cratereactive.internal.observe;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The client's observations and their keys, named once: a call ({@code cratedb.client.call}) and one child per
 * attempt ({@code cratedb.client.attempt}), keyed with the OpenTelemetry database conventions.
 */
public enum CrateObservation implements ObservationDocumentation {

    /** One statement from subscription to its end, retries included. */
    CALL("cratedb.client.call"),

    /** One try of the statement on one node; a retry on another node is a second child of the same call. */
    ATTEMPT("cratedb.client.attempt");

    private final String name;

    CrateObservation(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
        return LowKeys.values();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
        return HighKeys.values();
    }

    /** Keys with few values (safe as metric tags). */
    public enum LowKeys implements KeyName {
        /** Always {@code cratedb}. */
        DB_SYSTEM_NAME("db.system.name"),
        /** The statement's first keyword, e.g. {@code SELECT}. */
        DB_OPERATION_NAME("db.operation.name"),
        /** The node's host (of the last attempt, on a call). */
        SERVER_ADDRESS("server.address"),
        /** The node's port. */
        SERVER_PORT("server.port"),
        /** CrateDB's error code on failure (e.g. {@code 4041}), else {@code none}. */
        DB_RESPONSE_STATUS_CODE("db.response.status_code"),
        /** The failure's class name, else {@code none}. */
        ERROR_TYPE("error.type");

        private final String key;

        LowKeys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /** Keys with many values. */
    public enum HighKeys implements KeyName {
        /** The statement text as written, never with parameter values. */
        DB_QUERY_TEXT("db.query.text");

        private final String key;

        HighKeys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }
}
