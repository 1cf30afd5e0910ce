/**
 * The render stage: the render set in tasks of one shard's size; each item is drawn by the base
 * model and with the adapter, and demo-grammar prompts are scored. Imports {@code stages} and
 * below; no other stage.
 */
package dev.urae.batch.stages.render;
