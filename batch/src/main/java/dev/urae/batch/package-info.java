/**
 * The URAE batch application: {@link dev.urae.batch.UraeApplication} boots the Spring context the
 * job commands use. Packages, bottom to top: {@code json}, {@code manifest}, {@code run} (values),
 * {@code progress}, {@code task}, {@code ingest}, {@code teacher}, {@code report}, {@code job},
 * {@code stages} and its one package per stage, {@code launch}, then the entry points {@code cli}
 * and {@code aws}. A package imports only packages below it; the architecture test checks it.
 */
package dev.urae.batch;
