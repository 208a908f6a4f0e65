/**
 * Request encoding with Jackson's generator and streaming response decoding with its non-blocking parser.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal.codec;
