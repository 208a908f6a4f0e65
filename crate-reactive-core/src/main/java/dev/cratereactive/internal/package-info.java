/**
 * The client's implementation: the configured client, one SQL exchange, request options.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal;
