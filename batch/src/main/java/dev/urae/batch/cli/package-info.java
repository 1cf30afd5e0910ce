/**
 * The {@code urae} command line (picocli): one class per command. Commands start the Spring
 * context, call {@code launch} services and print; they never query the job repository themselves.
 * May import every other package of the application.
 */
package dev.urae.batch.cli;
