package dev.urae.model.component;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.tensors.TensorSpec;
import java.util.List;
import java.util.Set;

/**
 * A model component's configuration: what its {@code config.json} says, and from that every
 * parameter's name and shape in the checkpoint (without allocating anything).
 */
public interface ComponentConfig {
  /** The {@code config.json} as transformers or diffusers write it, so their loaders accept it. */
  ObjectNode toJson();

  /** Every parameter's name and shape as the checkpoint stores it, in a stable order. */
  List<TensorSpec> layout();

  /**
   * The weights file name of an unsharded checkpoint: {@code model.safetensors} (transformers)
   * or {@code diffusion_pytorch_model.safetensors} (diffusers). Shards and the index derive their
   * names from it.
   */
  String weightsFileName();

  /**
   * The name under which a checkpoint holding {@code stored} keeps the layout tensor {@code name}
   * (checkpoints written by other library versions name some tensors differently).
   */
  default String storedName(String name, Set<String> stored) {
    return name;
  }

  /** Whether a stored tensor outside the layout may be ignored (buffers, tied duplicates). */
  default boolean ignorable(String storedName) {
    return false;
  }

  /** Number of parameters. */
  default long parameterCount() {
    long n = 0;
    for (TensorSpec t : layout()) n += t.size();
    return n;
  }
}
