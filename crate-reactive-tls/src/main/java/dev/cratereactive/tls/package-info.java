/**
 * HTTPS material for the client: {@link dev.cratereactive.tls.CrateTls} reads CA certificates, client
 * certificates and keys (PEM, PKCS#12, JKS) and is passed to {@code CrateClientBuilder.tls(...)}.
 *
 * <p>Public API with a compatibility promise. Types are non-null unless annotated
 * {@link org.jspecify.annotations.Nullable @Nullable} (JSpecify {@link org.jspecify.annotations.NullMarked
 * @NullMarked}).
 */
@NullMarked
package dev.cratereactive.tls;

import org.jspecify.annotations.NullMarked;
