/**
 * The console progress bar of a stage. Imports nothing of the application.
 */
package dev.urae.batch.progress;
