/** The Spring WebFlux example service on the crate-reactive Spring Boot starter. Not a library. */
package dev.cratereactive.examples.webflux;
