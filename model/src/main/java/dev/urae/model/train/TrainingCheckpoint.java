package dev.urae.model.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training state at a step, as named files ({@code adapter.safetensors},
 * {@code optimizer.safetensors}, {@code trainer.json}), so any store can keep it: a folder, or
 * {@code runs/<runId>/adapt/checkpoints/step-N/} in the object store.
 */
public record TrainingCheckpoint(long step, Map<String, byte[]> files) {
  public static final String ADAPTER = "adapter.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String TRAINER = "trainer.json";

  public TrainingCheckpoint {
    if (step < 0) throw new IllegalArgumentException("step must not be negative, was " + step);
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  byte[] file(String name) {
    byte[] bytes = files.get(name);
    if (bytes == null) throw new IllegalArgumentException("checkpoint at step " + step + " has no " + name);
    return bytes;
  }
}
