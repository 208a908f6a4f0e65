package dev.cratereactive.testing;

/** The names of every transcript under {@code src/test/resources/transcripts}. */
final class TranscriptIndex {

    static final String[] ALL = {
        "after-bulk-select-same-connection", "auth-basic-ok", "auth-basic-wrong-password", "auth-cert-as-crate",
        "auth-jwt-bad-signature", "auth-jwt-malformed",
        "auth-missing-privilege", "auth-no-credentials", "auth-unknown-relation-hidden", "auth-unknown-user",
        "blob-delete-again", "blob-delete", "blob-get-missing", "blob-get-unknown-table", "blob-get", "blob-head",
        "blob-put-again", "blocked-read-only-bulk", "blocked-read-only-insert", "blocked-read-select",
        "blocked-write-bulk", "blocked-write-insert", "blob-put-bad-digest", "blob-put", "bulk-analysis-error", "bulk-args-and-args",
        "bulk-partial-failure", "bulk-select-not-allowed", "bulk-success", "bulk-update", "create-table-all-types",
        "cursor-close", "cursor-declare", "cursor-fetch-1", "cursor-fetch-2", "cursor-fetch-3", "cursor-fetch-4",
        "cursor-other-connection", "default-schema-header-sticky", "default-schema-header", "default-schema-missing",
        "error-bad-json", "error-division-by-zero", "error-duplicate-key", "error-missing-body", "error-no-stmt",
        "error-relation-exists", "error-syntax", "error-type-cast", "error-unknown-column", "error-unknown-schema",
        "error-unknown-table", "error-with-trace", "get-sql", "gzip-request-body", "head-root", "insert-all-types",
        "kill-running-job", "kill-unknown-job", "refresh-types", "root-info", "select-all-types", "select-empty",
        "select-generated-1000", "select-no-types", "select-params-dollar", "select-params-qmark", "select-simple",
        "select-special-values", "select-unknown-type-ids", "set-session-effect", "set-session-other", "set-session",
        "statement-killed", "sys-jobs", "sys-jobs-by-tag", "sys-jobs-log-killed", "sys-nodes"
    };

    private TranscriptIndex() {
    }
}
