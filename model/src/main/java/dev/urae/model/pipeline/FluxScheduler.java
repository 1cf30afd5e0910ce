package dev.urae.model.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code scheduler/scheduler_config.json} as FLUX.1 ships it: FlowMatchEulerDiscrete with
 * shift 3.0 and dynamic shifting from (256 tokens, 0.5) to (4096, 1.15) for dev (guidance
 * distilled), shift 1.0 without dynamic shifting for schnell.
 */
final class FluxScheduler {
  private FluxScheduler() {}

  static ObjectNode config(ObjectMapper json, boolean guidanceDistilled) {
    ObjectNode c = json.createObjectNode();
    c.put("_class_name", "FlowMatchEulerDiscreteScheduler");
    c.put("_diffusers_version", "0.30.0");
    c.put("base_image_seq_len", 256);
    c.put("base_shift", 0.5);
    c.put("max_image_seq_len", 4096);
    c.put("max_shift", 1.15);
    c.put("num_train_timesteps", 1000);
    c.put("shift", guidanceDistilled ? 3.0 : 1.0);
    c.put("use_dynamic_shifting", guidanceDistilled);
    return c;
  }
}
