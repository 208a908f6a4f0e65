/** The streaming ETL example: a CSV file into CrateDB in bulk batches, with bounded memory. Not a library. */
package dev.cratereactive.examples.etl;
