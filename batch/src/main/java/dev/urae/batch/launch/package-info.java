/**
 * The services that drive the job for the entry points: {@link dev.urae.batch.launch.RunService}
 * (launch, resume), {@link dev.urae.batch.launch.RunCatalog} (find runs, their status),
 * {@link dev.urae.batch.launch.RunConfigFactory} and the wiring of the built-in stages. Sits above
 * {@code job} and {@code stages} and may import both.
 */
package dev.urae.batch.launch;
