/**
 * Node addresses, dead-node state and the retry loop that picks the next node.
 *
 * <p>Internal: no compatibility promise. Names and signatures here may change in any release; use the API in
 * {@code dev.cratereactive}.
 */
package dev.cratereactive.internal.routing;
