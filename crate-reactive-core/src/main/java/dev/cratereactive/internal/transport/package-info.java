/**
 * The Reactor Netty HTTP client and connection pool each client owns, with its channel options.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal.transport;
