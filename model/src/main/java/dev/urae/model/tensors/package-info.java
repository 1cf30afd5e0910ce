/**
 * safetensors written from the format (reader with strict validation and memory mapping,
 * writer), and loading/saving of named weights with a complete mismatch report.
 */
package dev.urae.model.tensors;
