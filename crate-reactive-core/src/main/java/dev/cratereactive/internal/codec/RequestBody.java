package dev.cratereactive.internal.codec;

import java.util.Objects;

/**
 * A request body ready to send: encoded once per subscription and reused by retries.
 *
 * @param bytes holds the bytes on the wire from index 0; may be longer
 * @param length the number of bytes on the wire
 * @param gzipped whether the bytes are gzip ({@code Content-Encoding: gzip})
 */
public record RequestBody(byte[] bytes, int length, boolean gzipped) {

    /**
     * @throws IllegalArgumentException if {@code length} is outside {@code bytes}
     */
    public RequestBody {
        Objects.requireNonNull(bytes, "bytes");
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " outside an array of " + bytes.length);
        }
    }

    /**
     * @param json the encoded JSON ({@link RequestEncoder})
     * @param compressionThreshold bodies larger than this many bytes are gzipped
     * @return the body to send
     */
    public static RequestBody of(byte[] json, int compressionThreshold) {
        if (json.length <= compressionThreshold) {
            return new RequestBody(json, json.length, false);
        }
        BodySink sink = new BodySink(compressionThreshold, json.length);
        sink.write(json, 0, json.length);
        return sink.body();
    }
}
