/**
 * The crate-reactive client: {@link dev.cratereactive.CrateClient} (built with
 * {@link dev.cratereactive.CrateClientBuilder}) runs SQL over CrateDB's HTTP endpoint and streams
 * {@link dev.cratereactive.Row}s as a {@code Flux}; failures are {@link dev.cratereactive.CrateException}s.
 *
 * <p>Everything here is public API with a compatibility promise. Types are non-null unless annotated
 * {@link org.jspecify.annotations.Nullable @Nullable} (JSpecify {@link org.jspecify.annotations.NullMarked
 * @NullMarked}), which Kotlin reads as nullable and non-null types.
 */
@NullMarked
package dev.cratereactive;

import org.jspecify.annotations.NullMarked;
