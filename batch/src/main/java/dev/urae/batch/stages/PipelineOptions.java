package dev.urae.batch.stages;

import dev.urae.model.nn.Precision;
import dev.urae.model.vae.VaeTiling;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stages' options (the {@code urae.pipeline.*} settings), their defaults and the
 * {@code --quick} profile. They become part of the run configuration, so changing any of them
 * makes a new run, and they travel to workers inside task specs.
 */
public final class PipelineOptions {
  public static final String MODEL = "model";
  public static final String RECIPE = "recipe";
  public static final String ADAPT_FROM_ADAPTER = "adapt.from-adapter";
  public static final String TEACHER_KIND = "teacher.kind";
  public static final String TEACHER_ERROR = "teacher.error";
  public static final String TEACHER_PARALLELISM = "teacher.parallelism";
  public static final String CACHE_BATCH_SIZE = "cache.batch-size";
  public static final String ADAPT_KIND = "adapt.kind";
  public static final String ADAPT_RANK = "adapt.rank";
  public static final String ADAPT_STEPS = "adapt.steps";
  public static final String ADAPT_OPTIMIZER = "adapt.optimizer";
  public static final String ADAPT_LEARNING_RATE = "adapt.learning-rate";
  public static final String ADAPT_GUIDANCE = "adapt.guidance";
  public static final String ADAPT_REAL_PROMPT_RATIO = "adapt.real-prompt-ratio";
  public static final String ADAPT_CHECKPOINT_EVERY = "adapt.checkpoint-every";
  public static final String ADAPT_SEED = "adapt.seed";
  public static final String ADAPT_NTK_FACTOR = "adapt.ntk-factor";
  public static final String ADAPT_PROPORTIONAL_ATTENTION = "adapt.proportional-attention";
  public static final String ADAPT_POSITION_INTERPOLATION = "adapt.position-interpolation";
  public static final String ADAPT_ACTIVATION_CHECKPOINTING = "adapt.activation-checkpointing";
  public static final String ADAPT_PRECISION = "adapt.precision";
  public static final String RENDER_GUIDANCE = "render.guidance";
  public static final String RENDER_STEPS = "render.steps";
  public static final String RENDER_SHIFT = "render.shift";
  public static final String RENDER_NTK_FACTOR = "render.ntk-factor";
  public static final String RENDER_PROPORTIONAL_ATTENTION = "render.proportional-attention";
  public static final String RENDER_POSITION_INTERPOLATION = "render.position-interpolation";
  public static final String RENDER_PRECISION = "render.precision";
  public static final String RENDER_COARSE_TO_FINE = "render.coarse-to-fine";
  public static final String RENDER_COARSE_SIGMA = "render.coarse-sigma";
  public static final String RENDER_COUNT = "render.count";
  public static final String VAE_TILE = "vae.tile";

  /** One option's default and its one-line description. */
  public record Option(String defaultValue, String description) {}

  /** Every option with its default and description, by name, read-only (for {@code urae run --help}). */
  public static final SortedMap<String, Option> DEFAULTS = Collections.unmodifiableSortedMap(options(defaults()));

  /** Prefixes whose options the teachers validate themselves (see the teacher package). */
  private static final Set<String> OPEN_PREFIXES = Set.of("teacher.http.", "teacher.dataset.");

  private PipelineOptions() {}

  private static Map<String, String[]> defaults() {
    Map<String, String[]> d = new TreeMap<>();
    d.put(MODEL, new String[] {"demo", "base model: demo (the embedded default's small FLUX-shaped model) or the folder of a FLUX.1 checkpoint (diffusers layout)"});
    d.put(RECIPE, new String[] {Recipe.NONE, "a group of defaults: " + String.join(", ", Recipe.labels()) + " (see Recipes below), or none"});
    d.put(ADAPT_FROM_ADAPTER, new String[] {"none",
        "a 2K LoRA to fuse into the base before minor components are set up (URAE's 2K -> 4K chain): FILE, s3://..., or a run id"});
    d.put(TEACHER_KIND, new String[] {"demo", "teacher: demo (procedural renderer), http (FLUX1.1 [pro] Ultra API), dataset"});
    d.put(TEACHER_ERROR, new String[] {"0.0", "demo teacher's error level delta (blur, colour jitter, wrong captions), 0..1"});
    d.put(TEACHER_PARALLELISM, new String[] {"4", "teacher requests in flight per shard (http teacher)"});
    d.put(CACHE_BATCH_SIZE, new String[] {"4", "teacher images of one size per VAE pass in the cache stage (at most 4 megapixels per pass: alone from 2048² up)"});
    d.put(ADAPT_KIND, new String[] {"lora", "adapter: lora (2K stage) or minor (minor-component, 4K stage)"});
    d.put(ADAPT_RANK, new String[] {"16", "adapter rank (URAE: 16)"});
    d.put(ADAPT_STEPS, new String[] {"300", "training steps"});
    // URAE trains 2,000 steps with Prodigy, whose step size d starts at 1e-6 and takes hundreds of
    // steps to grow; a demo of a few hundred steps would end inside that warm-up. AdamW moves at once.
    d.put(ADAPT_OPTIMIZER, new String[] {"adamw", "optimizer: adamw (the demo's few hundred steps) or prodigy (URAE's 2,000 steps)"});
    d.put(ADAPT_LEARNING_RATE, new String[] {"auto", "learning rate: auto = AdamW 1e-3, Prodigy's lambda 1.0"});
    d.put(ADAPT_GUIDANCE, new String[] {"1.0", "guidance input while training (URAE: 1.0, guidance off)"});
    d.put(ADAPT_REAL_PROMPT_RATIO, new String[] {"0.2", "probability of training on the short prompt instead of the caption"});
    d.put(ADAPT_CHECKPOINT_EVERY, new String[] {"50", "steps between checkpoints in the store"});
    d.put(ADAPT_SEED, new String[] {"0", "seed of the trainer's random generators"});
    d.put(ADAPT_NTK_FACTOR, new String[] {"1.0", "NTK-aware RoPE factor while training (URAE 2K: 1; 4K: 10)"});
    d.put(ADAPT_PROPORTIONAL_ATTENTION, new String[] {"false", "proportional attention while training (URAE 2K: false; 4K: true)"});
    d.put(ADAPT_POSITION_INTERPOLATION, new String[] {"auto",
        "scale RoPE positions above the base resolution onto its native span while training: auto (demo: true; FLUX.1: false, as URAE), true, false"});
    d.put(ADAPT_ACTIVATION_CHECKPOINTING, new String[] {"auto",
        "recompute blocks in the backward pass: auto (when training above the base model's resolution), true, false"});
    d.put(ADAPT_PRECISION, new String[] {"auto",
        "products with bf16-stored weights: auto (bf16 on a GPU, fp32 on the CPU), bf16 (no float32 weight copy), fp32; activations, adapters and optimizer stay fp32"});
    d.put(RENDER_GUIDANCE, new String[] {"auto", "guidance at inference: auto = the base model's own (3.5 for both the guidance-distilled demo base and FLUX.1-dev)"});
    d.put(RENDER_STEPS, new String[] {"24", "sampler steps"});
    d.put(RENDER_SHIFT, new String[] {"auto",
        "time shift: auto (FLUX.1: static 3.0 as URAE runs it; demo: dynamic), dynamic (by resolution, held at the scheduler's range) or a number s"});
    d.put(RENDER_NTK_FACTOR, new String[] {"auto", "NTK-aware RoPE factor: auto (FLUX.1: 10 as URAE renders 2K and 4K; demo: 1) or a number"});
    d.put(RENDER_PROPORTIONAL_ATTENTION, new String[] {"auto", "proportional attention scale: auto (FLUX.1: true as URAE renders; demo: false), true, false"});
    d.put(RENDER_POSITION_INTERPOLATION, new String[] {"auto",
        "scale RoPE positions above the base resolution onto its native span: auto (demo: true; FLUX.1: false, as URAE), true, false"});
    d.put(RENDER_PRECISION, new String[] {"auto",
        "products with bf16-stored weights while rendering: auto (bf16 on a GPU, as the memory plan counts, fp32 on the CPU), bf16, fp32"});
    d.put(RENDER_COARSE_TO_FINE, new String[] {"false", "render at the base resolution, upsample, re-noise, finish with the adapter"});
    d.put(RENDER_COARSE_SIGMA, new String[] {"0.6", "re-noising sigma of coarse-to-fine"});
    d.put(RENDER_COUNT, new String[] {"4", "prompts rendered when no item is tagged split=render"});
    // One option for both passes: the cache stage's encode and the render stage's decode run the
    // same VAE on the same kind of device, and the memory plan counts one tile for both.
    d.put(VAE_TILE, new String[] {VaeTiling.DEFAULT.toString(),
        "VAE tiles for the cache stage's encode and the render stage's decode: TILE[/OVERLAP] in pixels, multiples of 8, tile at least 64, overlap at most half a tile, or off"});
    return d;
  }

  private static SortedMap<String, Option> options(Map<String, String[]> table) {
    SortedMap<String, Option> options = new TreeMap<>();
    table.forEach((name, row) -> options.put(name, new Option(row[0], row[1])));
    return options;
  }

  /** The {@code --quick} profile: a smoke test of every stage in well under two minutes. */
  public static Map<String, String> quick() {
    return Map.of(ADAPT_STEPS, "30", ADAPT_CHECKPOINT_EVERY, "10", RENDER_STEPS, "8", RENDER_COUNT, "2");
  }

  /**
   * Defaults, then the recipe's values, then the {@code --quick} profile, then what the user set;
   * unknown names are refused with the list of known ones, so a typo never silently does nothing,
   * and so are options that contradict each other.
   */
  public static Map<String, String> resolve(Map<String, String> user, boolean quick) {
    Map<String, String> options = new TreeMap<>();
    DEFAULTS.forEach((name, option) -> options.put(name, option.defaultValue()));
    Recipe.named(user.get(RECIPE)).ifPresent(recipe -> options.putAll(recipe.options()));
    if (quick) options.putAll(quick());
    for (Map.Entry<String, String> e : user.entrySet()) {
      String name = e.getKey();
      if (!DEFAULTS.containsKey(name) && OPEN_PREFIXES.stream().noneMatch(name::startsWith)) {
        throw new IllegalArgumentException("unknown pipeline option '" + name + "' (urae.pipeline." + name
            + "); known: " + String.join(", ", DEFAULTS.keySet()) + ", teacher.http.*, teacher.dataset.*");
      }
      options.put(name, e.getValue());
    }
    requireChainConsistent(options);
    vaeTiling(options);
    requireFlags(options);
    return options;
  }

  /** Yes-or-no options, refused at launch naming the option rather than when their stage reads them. */
  private static void requireFlags(Map<String, String> options) {
    for (String name : List.of(ADAPT_PROPORTIONAL_ATTENTION, RENDER_COARSE_TO_FINE)) requireOneOf(options, name, "true", "false");
    for (String name : List.of(ADAPT_POSITION_INTERPOLATION, RENDER_POSITION_INTERPOLATION, RENDER_PROPORTIONAL_ATTENTION,
        ADAPT_ACTIVATION_CHECKPOINTING)) {
      requireOneOf(options, name, "auto", "true", "false");
    }
    for (String name : List.of(ADAPT_PRECISION, RENDER_PRECISION)) Precision.parse(options.get(name), false, "pipeline option " + name + " (urae.pipeline." + name + ")");
  }

  private static void requireOneOf(Map<String, String> options, String name, String... allowed) {
    String value = options.get(name).strip();
    if (!List.of(allowed).contains(value)) {
      throw new IllegalArgumentException("pipeline option " + name + " (urae.pipeline." + name + ") is '" + value + "': use "
          + String.join(", ", allowed));
    }
  }

  /**
   * The VAE tiling the options ask for, refused naming the option when it does not parse or does
   * not line up with 8-pixel latent cells (FLUX's VAE; the smaller test VAEs divide 8).
   */
  public static VaeTiling vaeTiling(Map<String, String> options) {
    String text = options.getOrDefault(VAE_TILE, DEFAULTS.get(VAE_TILE).defaultValue());
    try {
      return vaeTiling(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pipeline option " + VAE_TILE + " (urae.pipeline." + VAE_TILE + ") is '" + text + "': " + e.getMessage()
          + "; e.g. 1024/256 (the default) or off", e);
    }
  }

  /**
   * {@code off} or {@code TILE[/OVERLAP]} as {@code vae.tile} takes it (also {@code urae plan
   * --vae-tile}): tile and overlap multiples of 8 pixels (FLUX's latent cells; the smaller test
   * VAEs divide 8), a tile at least 64 pixels. Refused without naming the option: callers do.
   */
  public static VaeTiling vaeTiling(String text) {
    VaeTiling tiling = VaeTiling.parse(text);
    if (tiling.tile() % 8 != 0 || tiling.overlap() % 8 != 0) {
      throw new IllegalArgumentException("tile and overlap must be multiples of 8 pixels (the VAE's latent cells), got " + tiling);
    }
    if (tiling.enabled() && tiling.tile() < 64) throw new IllegalArgumentException("a tile must be at least 64 pixels, got " + tiling.tile());
    return tiling;
  }

  /** A chain needs an adapter to start from and minor components to train on top of it. */
  private static void requireChainConsistent(Map<String, String> options) {
    String from = options.get(ADAPT_FROM_ADAPTER).strip();
    Optional<Recipe> recipe = Recipe.named(options.get(RECIPE));
    if (from.equals("none") && recipe.filter(Recipe::chains).isPresent()) {
      throw new IllegalArgumentException("recipe " + recipe.get().label() + " trains minor components on the base with a 2K LoRA fused in,"
          + " but no adapter to chain onto was given: add --from-adapter FILE|s3://...|RUN_ID (urae.pipeline." + ADAPT_FROM_ADAPTER
          + "), e.g. the adapter of a finished urae-2k run");
    }
    if (!from.equals("none") && !options.get(ADAPT_KIND).strip().equals("minor")) {
      throw new IllegalArgumentException("--from-adapter (urae.pipeline." + ADAPT_FROM_ADAPTER + ") chains minor components onto a fused LoRA,"
          + " but " + ADAPT_KIND + " is '" + options.get(ADAPT_KIND) + "': set --adapter minor, or drop --from-adapter");
    }
  }
}
