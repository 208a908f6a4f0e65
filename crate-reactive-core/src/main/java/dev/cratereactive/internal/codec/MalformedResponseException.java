package dev.cratereactive.internal.codec;

/**
 * The response bytes are not a CrateDB {@code /_sql} response: invalid or truncated JSON, or an unexpected
 * shape. The client turns it into a {@code CrateProtocolException} naming the node and statement.
 */
public final class MalformedResponseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, with enough context (position, field) to diagnose it
     * @param cause the parser's error, or {@code null}
     */
    public MalformedResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
