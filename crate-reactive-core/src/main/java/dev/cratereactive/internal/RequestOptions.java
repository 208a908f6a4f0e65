package dev.cratereactive.internal;

import java.util.function.Supplier;

/**
 * What every request carries, validated by {@code CrateClientBuilder}. Immutable. No compatibility promise.
 *
 * @param authorization produces the {@code Authorization} header value per attempt, or {@code null}
 * @param errorTrace whether to ask for server stack traces
 * @param compressionThreshold request bodies larger than this many bytes are gzipped
 * @param rotatingCredentials whether {@code authorization} asks a user's JWT supplier: a 401 then asks it once more
 *     and resends once
 * @param defaultFetchSize rows per {@code FETCH} for {@code sql()} calls whose statement sets no fetch size; 0 = off
 */
public record RequestOptions(Supplier<String> authorization, boolean errorTrace, int compressionThreshold,
                             boolean rotatingCredentials, int defaultFetchSize) {

    /** @return the options without credentials */
    @Override
    public String toString() {
        return "RequestOptions[authorization=" + (authorization == null ? "none" : "***") + ", errorTrace="
            + errorTrace + ", compressionThreshold=" + compressionThreshold + ", rotatingCredentials=" + rotatingCredentials
            + ", defaultFetchSize=" + defaultFetchSize
            + "]";
    }
}
