package dev.cratereactive;

import java.util.Objects;

/**
 * An error as CrateDB reports it: {@code {"code": 4091, "message": "DuplicateKeyException[...]"}}.
 *
 * @param code CrateDB's error code, e.g. 4000 (syntax), 4041 (unknown relation), 4091 (duplicate key)
 * @param message the server's message, never {@code null}
 */
public record CrateError(int code, String message) {

    /**
     * @param code CrateDB's error code
     * @param message the server's message
     * @throws NullPointerException if {@code message} is {@code null}
     */
    public CrateError {
        Objects.requireNonNull(message, "message");
    }
}
