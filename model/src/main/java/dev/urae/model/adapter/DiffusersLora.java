package dev.urae.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.Constants;
import dev.urae.model.nn.LinearAdapter;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * diffusers-loadable LoRA safetensors: {@code transformer.<module>.lora_A.weight} [r, in] and
 * {@code transformer.<module>.lora_B.weight} [out, r], the scale folded into B (so the file's
 * α equals its rank), the configuration in {@code __metadata__}, and no key containing
 * {@code processor} or {@code base_model}.
 *
 * <p>A minor-component adapter is written as URAE converts it: A = [−a₀; a_t], B = [b₀, b_t]
 * (rank 2r), so that B·A = b_t·a_t − b₀·a₀ applied to the <em>original</em> weight W gives
 * exactly the adapted weight (W − b₀·a₀) + b_t·a_t. Chained onto a fused 2K LoRA
 * ({@link AdapterChain}), the fused LoRA's factors follow: A = [−a₀; a_t; A_2k],
 * B = [b₀, b_t, B_2k] (rank 2r + r_2k), again applied to the original weight.
 */
public final class DiffusersLora {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "transformer.";

  private DiffusersLora() {}

  public static void export(Adapter adapter, Path file) throws IOException {
    export(adapter, null, file);
  }

  /**
   * Writes {@code adapter}, with the factors of {@code fused} (a LoRA merged into the weights
   * {@code adapter} was set up on; null when there is none) appended per layer, so the file
   * applies to the weights as they were before the fusion.
   */
  static void export(Adapter adapter, Adapter fused, Path file) throws IOException {
    SafeTensorsWriter writer = new SafeTensorsWriter();
    int rank = 0;
    try (NDManager scope = NDManager.newBaseManager()) {
      for (Map.Entry<String, LinearAdapter> e : adapter.adapters().entrySet()) {
        NDArray[] ab = factors(e.getValue());
        if (fused != null) {
          NDArray[] prior = factors(fused.adapters().get(e.getKey()));
          ab = new NDArray[] {ab[0].concat(prior[0], 0), ab[1].concat(prior[1], 1)};
        }
        NDArray a = ab[0];
        NDArray b = ab[1];
        a.attach(scope);
        b.attach(scope);
        rank = Math.toIntExact(a.getShape().get(0));
        writer.add(PREFIX + e.getKey() + ".lora_A.weight", a.stopGradient());
        writer.add(PREFIX + e.getKey() + ".lora_B.weight", b.stopGradient());
      }
      writer.metadata(metadata(adapter, rank));
      writer.write(file);
    }
  }

  /** One layer's update as LoRA factors A [r, in], B [out, r] with B·A the update (scale folded into B). */
  private static NDArray[] factors(LinearAdapter adapter) {
    if (adapter instanceof LoraAdapter lora) return new NDArray[] {lora.a().duplicate(), Constants.times(lora.b(), lora.scale())};
    MinorComponentAdapter minor = (MinorComponentAdapter) adapter;
    return new NDArray[] {minor.a0().neg().concat(minor.a(), 0), minor.b0().concat(minor.b(), 1)};
  }

  private static Map<String, String> metadata(Adapter adapter, int rank) throws IOException {
    // diffusers reads the peft LoraConfig from "lora_adapter_metadata"; α = r because the
    // scale is already in B.
    ObjectNode config = JSON.createObjectNode();
    config.put("r", rank);
    config.put("lora_alpha", rank);
    ArrayNode modules = config.putArray("target_modules");
    TreeSet<String> leaves = new TreeSet<>();
    for (String module : adapter.adapters().keySet()) leaves.add(module.substring(module.indexOf(".attn.") + 1));
    leaves.forEach(modules::add);
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.put("lora_adapter_metadata", JSON.writeValueAsString(config));
    meta.put("urae_source_kind", adapter.kind().label());
    meta.put("urae_source_rank", Integer.toString(adapter.spec().rank()));
    meta.put("urae_targets", adapter.spec().targets().toString());
    return meta;
  }

  /**
   * Attaches a diffusers LoRA file to the original base weights as LoRA adapters with scale 1
   * (its α/r is already in B). Fails naming the file and key when a key is not a LoRA key of a
   * module the model has, or shapes disagree.
   */
  public static Adapter attach(Path file, Map<String, AdaptableLinear> linears) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      Map<String, AdaptableLinear> layers = new LinkedHashMap<>();
      int rank = -1;
      for (String name : in.names()) {
        String module = moduleOf(in, name);
        AdaptableLinear layer = linears.get(module);
        if (layer == null) throw new IllegalArgumentException(file + ": key " + name + " names module " + module + ", which the model does not have");
        layers.put(module, layer);
      }
      NDManager manager = Adapter.managerFor(layers);
      Map<String, LinearAdapter> adapters = new LinkedHashMap<>();
      List<String> patterns = new ArrayList<>();
      for (Map.Entry<String, AdaptableLinear> e : layers.entrySet()) {
        String keyA = PREFIX + e.getKey() + ".lora_A.weight";
        String keyB = PREFIX + e.getKey() + ".lora_B.weight";
        if (!in.contains(keyA) || !in.contains(keyB)) throw new IllegalArgumentException(file + ": " + e.getKey() + " needs both " + keyA + " and " + keyB);
        NDArray a = in.load(keyA, manager);
        NDArray b = in.load(keyB, manager);
        AdaptableLinear layer = e.getValue();
        if (a.getShape().get(1) != layer.inFeatures() || b.getShape().get(0) != layer.outFeatures() || a.getShape().get(0) != b.getShape().get(1)) {
          throw new IllegalArgumentException(file + ": " + e.getKey() + " has A " + a.getShape() + " and B " + b.getShape()
              + " but the layer is " + layer.outFeatures() + "x" + layer.inFeatures());
        }
        rank = Math.toIntExact(a.getShape().get(0));
        adapters.put(e.getKey(), new LoraAdapter(a, b, 1f));
        patterns.add(e.getKey());
      }
      AdapterSpec spec = AdapterSpec.builder().setKind(AdapterKind.LORA).setRank(rank).optAlpha(rank)
          .optTargets(new AdapterTargets(patterns)).build();
      return new Adapter(spec, manager, layers, adapters);
    }
  }

  /** Whether {@code file} holds diffusers LoRA keys. */
  public static boolean isDiffusersLora(SafeTensorsFile file) {
    return !file.names().isEmpty() && file.names().stream().allMatch(n -> n.startsWith(PREFIX) && (n.endsWith(".lora_A.weight") || n.endsWith(".lora_B.weight")));
  }

  private static String moduleOf(SafeTensorsFile in, String name) {
    String suffix = name.endsWith(".lora_A.weight") ? ".lora_A.weight" : name.endsWith(".lora_B.weight") ? ".lora_B.weight" : null;
    if (!name.startsWith(PREFIX) || suffix == null) {
      throw new IllegalArgumentException(in.path() + ": key " + name + " is not transformer.<module>.lora_A|lora_B.weight");
    }
    return name.substring(PREFIX.length(), name.length() - suffix.length());
  }
}
