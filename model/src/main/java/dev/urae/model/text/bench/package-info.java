/** {@code urae bench text}: text encoder throughput on the JVM beside transformers. */
package dev.urae.model.text.bench;
