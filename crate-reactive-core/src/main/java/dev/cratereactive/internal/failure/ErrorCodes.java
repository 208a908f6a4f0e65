package dev.cratereactive.internal.failure;

/**
 * CrateDB's error codes that change what a client does, from the server's {@code HttpErrorStatus} and what
 * CrateDB 6.4.3 answered here. The one table the failure classifier and the bulk writer read.
 * No compatibility promise.
 */
public final class ErrorCodes {

    /** Unhandled server error; says nothing about retrying. */
    public static final int UNHANDLED = 5000;
    /**
     * Shards are not available (relocation, recovery, their node left): a bulk row, or a whole statement, may
     * succeed later.
     */
    public static final int SHARDS_UNAVAILABLE_ROW = 5002;
    /** The job was killed ({@code KILL}, or a node left): a write may have run in part. */
    public static final int JOB_KILLED = 5005;
    /** First of the codes for "the statement did not run, the cluster or node was not ready" (5030-5035). */
    public static final int FIRST_UNAVAILABLE = 5030;
    /** Last of the unavailable codes: 5030 service unavailable ... 5035 cluster state not recovered. */
    public static final int LAST_UNAVAILABLE = 5035;
    /** A table refuses the operation ({@code blocks.read} / {@code blocks.write}): HTTP 400. */
    public static final int RELATION_BLOCKED = 4007;
    /** First of the cluster or table block codes (HTTP 403), e.g. 4037 read-only-allow-delete. */
    public static final int FIRST_CLUSTER_BLOCK = 4031;
    /** Last of the cluster or table block codes. */
    public static final int LAST_CLUSTER_BLOCK = 4037;
    /** A row with the same primary key exists. */
    public static final int DUPLICATE_KEY = 4091;
    /** HTTP status CrateDB answers, with no body, when it is overloaded; it then closes the connection. */
    public static final int HTTP_TOO_MANY_REQUESTS = 429;

    private ErrorCodes() {
    }

    /**
     * @param code a CrateDB error code
     * @return whether the table or cluster refuses the operation (4007, 4031-4037): final until lifted
     */
    public static boolean isBlock(int code) {
        return code == RELATION_BLOCKED || (code >= FIRST_CLUSTER_BLOCK && code <= LAST_CLUSTER_BLOCK);
    }

    /**
     * @param code a CrateDB error code of a whole response
     * @return whether it says the statement did not run and a later try (or another node) may succeed (5030-5035)
     */
    public static boolean isUnavailable(int code) {
        return code >= FIRST_UNAVAILABLE && code <= LAST_UNAVAILABLE;
    }

    /**
     * Whether a whole statement failed because a node left the cluster while it ran or was planned, as CrateDB
     * 6.4.3 answered on the kit's three-node cluster when a node stopped (transcripts {@code node-left-*}):
     * 5005 "JobKilledException[Job killed. Participating node ... disconnected]", 5000
     * "NodeNotConnectedException[...]", and 5002 "UnavailableShardsException[...]" (a shard whose node is gone; a
     * replica takes over, or the node comes back). A read that gets one before any row may succeed on a later try.
     *
     * @param code the error code of a whole response
     * @param message its message
     * @return whether it says a node left the cluster
     */
    public static boolean isNodeLeft(int code, String message) {
        if (message == null) {
            return false;
        }
        return switch (code) {
            case JOB_KILLED -> message.contains("Participating node") && message.contains("disconnected");
            case UNHANDLED -> message.startsWith("NodeNotConnectedException[")
                || message.startsWith("NodeDisconnectedException[") || message.startsWith("ConnectTransportException[");
            case SHARDS_UNAVAILABLE_ROW -> message.startsWith("UnavailableShardsException[");
            default -> false;
        };
    }

    /**
     * @param code the error code of one row of a bulk result
     * @return whether sending that row again later may succeed (5002, 5030-5035)
     */
    public static boolean isRetryableRow(int code) {
        return code == SHARDS_UNAVAILABLE_ROW || isUnavailable(code);
    }
}
