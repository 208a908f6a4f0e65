/**
 * The one failure classifier: CrateDB error codes, HTTP statuses and network errors to retry decisions and exceptions.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal.failure;
