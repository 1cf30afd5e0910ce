package dev.urae.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.LinearAdapter;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The adapter's own safetensors format, which keeps everything needed to continue training:
 * {@code <module>.lora_A|lora_B} for LoRA, {@code <module>.minor_a|minor_b|minor_a0|minor_b0}
 * for minor components, and {@code __metadata__} {@code format=urae-adapter, kind, rank,
 * alpha, targets}. Applied to the same base weights it reproduces the adapted model exactly;
 * {@link DiffusersLora} is the format for other tools.
 */
public final class AdapterFile {
  public static final String FORMAT = "urae-adapter";

  private AdapterFile() {}

  public static void save(Adapter adapter, Path file) throws IOException {
    SafeTensorsWriter writer = new SafeTensorsWriter()
        .metadata("format", FORMAT)
        .metadata("kind", adapter.kind().label())
        .metadata("rank", Integer.toString(adapter.spec().rank()))
        .metadata("alpha", Float.toString(adapter.spec().alpha()))
        .metadata("targets", adapter.spec().targets().toString());
    adapter.adapters().forEach((module, a) -> {
      if (a instanceof LoraAdapter lora) {
        writer.add(module + ".lora_A", lora.a()).add(module + ".lora_B", lora.b());
      } else if (a instanceof MinorComponentAdapter minor) {
        writer.add(module + ".minor_a", minor.a()).add(module + ".minor_b", minor.b())
            .add(module + ".minor_a0", minor.a0()).add(module + ".minor_b0", minor.b0());
      }
    });
    writer.write(file);
  }

  /** Whether {@code file} is in this format (else it may be a diffusers LoRA). */
  public static boolean isAdapterFile(SafeTensorsFile file) {
    return FORMAT.equals(file.metadata().get("format"));
  }

  /** Reads the spec recorded in a file's metadata. */
  public static AdapterSpec spec(SafeTensorsFile in) {
    Map<String, String> meta = in.metadata();
    if (!isAdapterFile(in)) throw new IllegalArgumentException(in.path() + " is not a urae adapter file (no format=" + FORMAT + " metadata)");
    AdapterKind kind = AdapterKind.parse(meta.getOrDefault("kind", "?"));
    AdapterSpec.Builder b = AdapterSpec.builder().setKind(kind).setRank(Integer.parseInt(meta.getOrDefault("rank", "0")))
        .optTargets(AdapterTargets.parse(meta.get("targets")));
    if (kind == AdapterKind.LORA) b.optAlpha(Float.parseFloat(meta.getOrDefault("alpha", meta.getOrDefault("rank", "0"))));
    return b.build();
  }

  /**
   * Attaches the adapter in {@code file} to {@code linears} (the same base weights it was made
   * from). For minor components the frozen weights become W − b₀·a₀ again, with no SVD.
   */
  public static Adapter attach(Path file, Map<String, AdaptableLinear> linears) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      AdapterSpec spec = spec(in);
      Map<String, AdaptableLinear> layers = new LinkedHashMap<>();
      for (String name : in.names()) {
        String module = moduleOf(name);
        AdaptableLinear layer = linears.get(module);
        if (layer == null) throw new IllegalArgumentException(file + ": tensor " + name + " names module " + module + ", which the model does not have");
        layers.put(module, layer);
      }
      NDManager manager = Adapter.managerFor(layers);
      Map<String, LinearAdapter> adapters = new LinkedHashMap<>();
      for (Map.Entry<String, AdaptableLinear> e : layers.entrySet()) {
        String m = e.getKey();
        AdaptableLinear layer = e.getValue();
        if (spec.kind() == AdapterKind.LORA) {
          adapters.put(m, new LoraAdapter(load(in, m + ".lora_A", manager), load(in, m + ".lora_B", manager), spec.scale()));
        } else {
          NDArray a0 = load(in, m + ".minor_a0", manager);
          NDArray b0 = load(in, m + ".minor_b0", manager);
          try (NDManager scope = manager.newSubManager()) {
            NDArray product = b0.matMul(a0);
            product.attach(scope);
            layer.setWeight(layer.weight().sub(product));
          }
          adapters.put(m, new MinorComponentAdapter(load(in, m + ".minor_a", manager), load(in, m + ".minor_b", manager), a0, b0));
        }
      }
      return new Adapter(spec, manager, layers, adapters);
    }
  }

  private static NDArray load(SafeTensorsFile in, String name, NDManager manager) throws IOException {
    if (!in.contains(name)) throw new IllegalArgumentException(in.path() + ": missing tensor " + name);
    return in.load(name, manager);
  }

  static String moduleOf(String tensor) {
    int dot = tensor.lastIndexOf('.');
    if (dot < 0) throw new IllegalArgumentException("tensor name " + tensor + " has no module part");
    return tensor.substring(0, dot);
  }
}
