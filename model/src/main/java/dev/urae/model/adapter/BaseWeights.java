package dev.urae.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.tensors.TensorEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapter operations straight on safetensors files of base weights (diffusers names), without
 * building a model: what {@code urae adapter init|merge|export} do.
 */
public final class BaseWeights {
  private BaseWeights() {}

  /** Every linear module of a base file: a 2-D {@code <module>.weight}. */
  public static List<String> linearModules(SafeTensorsFile base) {
    List<String> modules = new ArrayList<>();
    for (TensorEntry e : base.tensors()) {
      if (e.name().endsWith(".weight") && e.shape().dimension() == 2) modules.add(e.name().substring(0, e.name().length() - ".weight".length()));
    }
    return modules;
  }

  /** Layers for {@code modules} loaded from a base file (weight and, when present, bias). */
  public static Map<String, AdaptableLinear> layers(SafeTensorsFile base, Collection<String> modules, NDManager manager) throws IOException {
    Map<String, AdaptableLinear> layers = new LinkedHashMap<>();
    for (String module : modules) {
      if (!base.contains(module + ".weight")) throw new IllegalArgumentException(base.path() + " has no tensor " + module + ".weight");
      NDArray weight = base.load(module + ".weight", manager);
      NDArray bias = base.contains(module + ".bias") ? base.load(module + ".bias", manager) : null;
      layers.put(module, new AdaptableLinear(manager, weight, bias));
    }
    return layers;
  }

  /** Initialises an adapter from a base file's weights and writes it in {@link AdapterFile}'s format; returns the layer count. */
  public static int initAdapter(Path baseFile, AdapterSpec spec, long seed, dev.urae.model.svd.DecompositionCache cache, Path out) throws IOException {
    try (SafeTensorsFile base = SafeTensorsFile.open(baseFile); NDManager manager = NDManager.newBaseManager()) {
      List<String> targets = spec.targets().select(linearModules(base));
      if (targets.isEmpty()) throw new IllegalArgumentException(baseFile + " has no linear layer matching the targets " + spec.targets());
      Map<String, AdaptableLinear> layers = layers(base, targets, manager);
      try (Adapter adapter = spec.kind() == AdapterKind.LORA
          ? Adapter.initLora(layers, spec, dev.urae.model.flow.SeededRandom.seeded(seed))
          : Adapter.initMinor(layers, spec, new dev.urae.model.svd.MinorComponentDecomposer(cache))) {
        AdapterFile.save(adapter, out);
        return adapter.size();
      }
    }
  }

  /**
   * Writes {@code base} with the adapter (either format) merged into its weights, all tensors
   * as float32; returns the number of merged layers.
   */
  public static int merge(Path baseFile, Path adapterFile, Path out) throws IOException {
    try (SafeTensorsFile base = SafeTensorsFile.open(baseFile); SafeTensorsFile adapterIn = SafeTensorsFile.open(adapterFile);
        NDManager manager = NDManager.newBaseManager()) {
      List<String> modules = new ArrayList<>();
      boolean own = AdapterFile.isAdapterFile(adapterIn);
      if (!own && !DiffusersLora.isDiffusersLora(adapterIn)) {
        throw new IllegalArgumentException(adapterFile + " is neither a urae adapter file nor a diffusers LoRA (transformer.<module>.lora_A|B.weight)");
      }
      for (String name : adapterIn.names()) {
        String module = own ? AdapterFile.moduleOf(name) : name.substring("transformer.".length(), name.lastIndexOf(".lora_"));
        if (!modules.contains(module)) modules.add(module);
      }
      Map<String, AdaptableLinear> layers = layers(base, modules, manager);
      Adapter adapter = own ? AdapterFile.attach(adapterFile, layers) : DiffusersLora.attach(adapterFile, layers);
      adapter.merge();
      SafeTensorsWriter writer = new SafeTensorsWriter().metadata(base.metadata()).metadata("urae_merged_adapter", adapterFile.getFileName().toString());
      for (String name : base.names()) {
        String module = name.endsWith(".weight") ? name.substring(0, name.length() - 7) : null;
        if (module != null && layers.containsKey(module)) {
          writer.add(name, layers.get(module).weight());
        } else {
          writer.add(name, base.load(name, manager));
        }
      }
      writer.write(out);
      return adapter.size();
    }
  }

  /**
   * Converts an adapter file in {@link AdapterFile}'s format to a diffusers LoRA; needs no base
   * weights (a minor-component adapter carries a₀ and b₀). Returns the layer count.
   */
  public static int exportDiffusers(Path adapterFile, Path out) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(adapterFile); NDManager manager = NDManager.newBaseManager()) {
      AdapterSpec spec = AdapterFile.spec(in);
      Map<String, AdaptableLinear> placeholders = new LinkedHashMap<>();
      for (String name : in.names()) {
        String module = AdapterFile.moduleOf(name);
        if (placeholders.containsKey(module)) continue;
        String a = module + (spec.kind() == AdapterKind.LORA ? ".lora_A" : ".minor_a");
        String b = module + (spec.kind() == AdapterKind.LORA ? ".lora_B" : ".minor_b");
        if (!in.contains(a) || !in.contains(b)) throw new IllegalArgumentException(adapterFile + ": " + module + " needs " + a + " and " + b);
        int inFeatures = Math.toIntExact(in.entry(a).shape().get(1));
        int outFeatures = Math.toIntExact(in.entry(b).shape().get(0));
        // Export only reads the adapter's own arrays; the base weight is a zero placeholder.
        placeholders.put(module, AdaptableLinear.zeros(manager, inFeatures, outFeatures, false));
      }
      Adapter adapter = AdapterFile.attach(adapterFile, placeholders);
      DiffusersLora.export(adapter, out);
      return adapter.size();
    }
  }
}
