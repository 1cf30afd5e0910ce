/**
 * The manifest format: JSON Lines parsing with a verdict per line, item defaults, id uniqueness and
 * streaming sources (file, URI). Imports nothing of the application.
 */
package dev.urae.batch.manifest;
