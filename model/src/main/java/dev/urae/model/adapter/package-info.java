/**
 * URAE's parameter-efficient adapters on {@link dev.urae.model.nn.AdaptableLinear} layers:
 * LoRA (rank r, gaussian A, zero B) and minor-component adapters (the r smallest singular
 * triplets of each weight become the trainable pair, the rest stays frozen). An {@link
 * dev.urae.model.adapter.Adapter} is the set of per-layer adapters of one model; it merges,
 * unmerges, saves in its own format ({@link dev.urae.model.adapter.AdapterFile}) and exports
 * to diffusers-loadable LoRA safetensors ({@link dev.urae.model.adapter.DiffusersLora}).
 */
package dev.urae.model.adapter;
