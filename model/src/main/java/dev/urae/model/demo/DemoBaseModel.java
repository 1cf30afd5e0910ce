package dev.urae.model.demo;

import ai.djl.ndarray.NDManager;
import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.ModelWeights;
import dev.urae.model.text.DemoTextEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The demo base model: the {@code demo} transformer preset in pixel space plus the demo text
 * encoder, pretrained at {@link DemoWorld#LOW_RESOLUTION}. {@link #loadDefault} finds the
 * shipped weights (class-path resources), else a cached copy, else pretrains and caches them.
 */
public final class DemoBaseModel implements AutoCloseable {
  public static final String TRANSFORMER_FILE = "demo-transformer.safetensors";
  public static final String ENCODER_FILE = "demo-text-encoder.safetensors";
  private static final String[] FILES = {TRANSFORMER_FILE, ENCODER_FILE};
  private static final String RESOURCE_DIR = "/dev/urae/model/demo/";
  /** Sampling steps of demo renders. */
  public static final int SAMPLING_STEPS = 12;
  /**
   * Guidance input of demo renders, as for FLUX.1-dev: the shipped base is guidance-distilled
   * ({@link DemoDistiller}), so g is an input of one forward pass, trained for g in [1, 5].
   */
  public static final float GUIDANCE = 3.5f;

  private final NDManager manager;
  private final FluxTransformer transformer;
  private final DemoTextEncoder encoder;

  private DemoBaseModel(NDManager manager, FluxTransformer transformer, DemoTextEncoder encoder) {
    this.manager = manager;
    this.transformer = transformer;
    this.encoder = encoder;
    transformer.setAttentionSettings(DemoWorld.ATTENTION);
  }

  /** The resolution the model was pretrained at, where it is at its best (its "1K"). */
  public int nativeResolution() {
    return DemoWorld.LOW_RESOLUTION;
  }

  /** Freshly initialised weights (the start of pretraining). */
  public static DemoBaseModel initial(long seed, NDManager parent) {
    NDManager manager = parent.newSubManager();
    return new DemoBaseModel(manager, FluxTransformer.random(DemoWorld.config(), seed, manager),
        DemoTextEncoder.create(DemoWorld.vocabulary(), DemoWorld.MAX_TEXT_TOKENS, DemoWorld.config().jointAttentionDim(),
            DemoWorld.config().pooledProjectionDim(), seed + 1, manager));
  }

  /** An independent copy of this model's weights (a distillation student starts as one). */
  public DemoBaseModel copy(NDManager parent) {
    DemoBaseModel copy = initial(0, parent);
    transformer.parameters().forEach((name, value) -> copy.transformer.setParameter(name, value.duplicate()));
    encoder.parameters().forEach((name, value) -> copy.encoder.setParameter(name, value.duplicate()));
    return copy;
  }

  /**
   * Where a demo model pretrained on first use (and its SVD cache) is kept when no weights ship:
   * {@code $URAE_DEMO_CACHE}, else {@code ~/.cache/urae/demo}.
   */
  public static Path defaultCacheFolder() {
    String configured = System.getenv("URAE_DEMO_CACHE");
    return configured != null && !configured.isBlank()
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "urae", "demo");
  }

  /** Loads the two weight files from {@code folder}. */
  public static DemoBaseModel load(Path folder, NDManager parent) throws IOException {
    DemoBaseModel model = initial(0, parent);
    try {
      ModelWeights.load(model.transformer, folder.resolve(TRANSFORMER_FILE));
      ModelWeights.load(model.encoder, folder.resolve(ENCODER_FILE));
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The shipped demo base model if the class path has it, else the copy cached in
   * {@code cacheFolder}, else one pretrained and distilled now with the standard settings
   * and saved there (about the time {@code urae demo pretrain} takes).
   */
  public static DemoBaseModel loadDefault(Path cacheFolder, NDManager parent, java.io.PrintStream progress) throws IOException {
    if (shipped()) {
      Path temp = Files.createTempDirectory("urae-demo");
      try {
        for (String file : FILES) {
          try (InputStream in = openDefault(file, cacheFolder)) {
            Files.copy(in, temp.resolve(file), StandardCopyOption.REPLACE_EXISTING);
          }
        }
        return load(temp, parent);
      } finally {
        for (String file : FILES) Files.deleteIfExists(temp.resolve(file));
        Files.deleteIfExists(temp);
      }
    }
    if (cached(cacheFolder)) return load(cacheFolder, parent);
    progress.println("no demo base model shipped or cached: pretraining one into " + cacheFolder);
    return DemoPretrainer.pretrainAndSave(DemoPretrainer.Settings.standard(), DemoPretrainer.Refinement.standard(), DemoDistiller.Settings.standard(), cacheFolder, parent, progress).model();
  }

  /**
   * Names the weights {@link #loadDefault} would load, so a run can record them and a worker
   * can check it loads the same: {@code sha256:<hex>} over both files, or {@code
   * pretrained-on-first-use} when neither the class path nor {@code cacheFolder} has them.
   */
  public static String defaultWeightsDigest(Path cacheFolder) throws IOException {
    if (!shipped() && !cached(cacheFolder)) return "pretrained-on-first-use";
    return digest(file -> openDefault(file, cacheFolder));
  }

  /** Names the weights {@link #load} reads from {@code folder}, as {@link #defaultWeightsDigest} names the default ones. */
  public static String weightsDigest(Path folder) throws IOException {
    return digest(file -> Files.newInputStream(folder.resolve(file)));
  }

  /** The weight files {@link #load} needs that {@code folder} lacks, by name (empty when it has both). */
  public static List<String> missingFiles(Path folder) {
    return Arrays.stream(FILES).filter(file -> !Files.isRegularFile(folder.resolve(file))).toList();
  }

  private interface WeightFiles {
    InputStream open(String file) throws IOException;
  }

  /** {@code sha256:<hex>} over both weight files, in a fixed order. */
  private static String digest(WeightFiles files) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (String file : FILES) {
      try (InputStream in = files.open(file)) {
        in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private static boolean shipped() {
    return DemoBaseModel.class.getResource(RESOURCE_DIR + TRANSFORMER_FILE) != null;
  }

  private static boolean cached(Path cacheFolder) {
    return Files.exists(cacheFolder.resolve(TRANSFORMER_FILE)) && Files.exists(cacheFolder.resolve(ENCODER_FILE));
  }

  /** One of the default weight files: from the class path when the weights ship, else from the cache. */
  private static InputStream openDefault(String file, Path cacheFolder) throws IOException {
    if (!shipped()) return Files.newInputStream(cacheFolder.resolve(file));
    InputStream in = DemoBaseModel.class.getResourceAsStream(RESOURCE_DIR + file);
    if (in == null) throw new IOException("class path has " + TRANSFORMER_FILE + " but not " + file);
    return in;
  }

  /** Writes the two weight files (float16, a few MB) into {@code folder}. */
  public void save(Path folder, Map<String, String> metadata) throws IOException {
    Files.createDirectories(folder);
    ModelWeights.save(transformer, folder.resolve(TRANSFORMER_FILE), DType.F16, metadata);
    ModelWeights.save(encoder, folder.resolve(ENCODER_FILE), DType.F16, metadata);
  }

  public FluxTransformer transformer() {
    return transformer;
  }

  public DemoTextEncoder textEncoder() {
    return encoder;
  }

  /**
   * Renders a prompt at a resolution by Euler sampling ({@link #SAMPLING_STEPS} steps, FLUX's
   * dynamic time shift, guidance {@link #GUIDANCE}) from noise seeded by {@code seed}.
   */
  public DemoImage render(String prompt, int resolution, long seed) {
    return render(prompt, resolution, seed, GUIDANCE);
  }

  /** Renders as {@link #render(String, int, long)} does, with another guidance input. */
  public DemoImage render(String prompt, int resolution, long seed, double guidance) {
    PixelSampler.Settings sampling = new PixelSampler.Settings(SAMPLING_STEPS, guidance, TimeShift::dynamic, transformer.attentionSettings());
    return new PixelSampler(transformer, encoder, sampling).render(prompt, resolution, resolution, seed);
  }

  @Override
  public void close() {
    manager.close();
  }
}
