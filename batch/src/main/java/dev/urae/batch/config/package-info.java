/**
 * Spring wiring of the infrastructure ports (object store, task executor) from {@code urae.*}
 * properties ({@link dev.urae.batch.config.UraeProperties}). Imports {@code task} and infra; no stage code.
 */
package dev.urae.batch.config;
