/** Runnable examples: the quickstart and how every example finds a CrateDB. Not a library. */
package dev.cratereactive.examples;
