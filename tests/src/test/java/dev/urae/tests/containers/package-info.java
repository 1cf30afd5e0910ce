/**
 * Checks of the container images under {@code containers/}, made by reading the Dockerfiles (no
 * Docker engine runs here): pinned bases, a non-root user, no secrets, and commands that the
 * {@code urae} command line actually accepts.
 */
package dev.urae.tests.containers;
