/**
 * The one JSON configuration of every file the application writes. Imports nothing of the application.
 */
package dev.urae.batch.json;
