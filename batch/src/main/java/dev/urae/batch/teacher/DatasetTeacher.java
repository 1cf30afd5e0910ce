package dev.urae.batch.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.infra.store.Keys;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A teacher that serves real high-resolution images with captions (URAE's 4K stage trains on real
 * data) from a folder or any object-store prefix ({@code s3://} works once an S3 store is
 * registered with {@link ObjectStores}).
 *
 * <p><b>Layout.</b> Under the prefix, at any depth, each image {@code <name>.png},
 * {@code <name>.jpg} or {@code <name>.jpeg} (extension in any case) has its caption beside it in
 * {@code <name>.json} (an object with a {@code caption} field, or failing that
 * {@code generated_prompt}, {@code prompt} or {@code text}) or in {@code <name>.txt} (the whole
 * UTF-8 file, trimmed). The JSON wins when both exist. Images without a caption, and files whose
 * name starts with a dot, are ignored. Example:
 * <pre>
 *   photos/alps-001.jpg    photos/alps-001.txt     "a glacier lake under a clear sky"
 *   photos/city/night.png  photos/city/night.json  {"caption": "a neon street at night"}
 * </pre>
 *
 * <p><b>Assignment.</b> A hash of the item's id and seed picks the image, so every run (and every
 * machine) gives the same item the same image; distinct items may share an image when the
 * dataset is small. The dataset's caption is both the returned prompt and caption: real images are
 * trained with their own text, and the item's prompt is not used.
 *
 * <p><b>Sizing.</b> The image is scaled to cover the aspect bucket (sides multiples of 16, about
 * the request's pixel count; see {@link AspectBuckets}) nearest its own aspect ratio and
 * centre-cropped; with buckets off, to exactly the requested size. Downscaling is progressive
 * (see {@link ImageFit}). An image that would need more than {@code maxUpscale} enlargement, or
 * cannot be decoded, is refused for that item (a {@link Refusal}), not failed: retrying would not
 * change it.
 */
public final class DatasetTeacher implements Teacher {
  private static final Logger log = LoggerFactory.getLogger(DatasetTeacher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final boolean ownsStore;
  private final String prefix;
  private final boolean buckets;
  private final int bucketStride;
  private final double maxAspect;
  private final double maxUpscale;
  private volatile DatasetIndex index;

  private DatasetTeacher(Builder b) {
    this.store = b.store;
    this.ownsStore = b.ownsStore;
    this.prefix = b.prefix;
    this.buckets = b.buckets;
    this.bucketStride = b.bucketStride;
    this.maxAspect = b.maxAspect;
    this.maxUpscale = b.maxUpscale;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The option prefix of this teacher's settings in a run configuration or task spec. */
  public static final String OPTION_PREFIX = "teacher.dataset.";

  /**
   * Builds a teacher from a flat option map: {@code teacher.dataset.location} (required) and the
   * optional settings named in {@link Builder}; unknown keys under the prefix are an error.
   */
  public static DatasetTeacher fromOptions(Map<String, String> options) throws IOException {
    TeacherOptions o = new TeacherOptions(OPTION_PREFIX, options,
        Set.of("location", "buckets", "bucket-stride", "max-aspect", "max-upscale"));
    if (!o.has("location")) {
      throw new IllegalArgumentException("teacher.dataset.location is not set (a folder or s3:// prefix)");
    }
    Builder b = builder().setLocation(o.string("location"));
    if (o.has("buckets")) b.optBuckets(o.bool("buckets"));
    if (o.has("bucket-stride")) b.optBucketStride(o.integer("bucket-stride"));
    if (o.has("max-aspect")) b.optMaxAspect(o.decimal("max-aspect"));
    if (o.has("max-upscale")) b.optMaxUpscale(o.decimal("max-upscale"));
    return b.build();
  }

  @Override
  public String name() {
    return "dataset";
  }

  /** Includes a hash of the dataset listing, so adding or replacing images changes it. */
  @Override
  public String fingerprint() {
    DatasetIndex current;
    try {
      current = index();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list dataset " + location(), e);
    }
    return "dataset:" + location() + ";listing=" + current.contentHash() + ";buckets=" + buckets
        + ";stride=" + bucketStride + ";maxAspect=" + maxAspect + ";maxUpscale=" + maxUpscale;
  }

  /** How many captioned images the dataset holds (lists it on first use). */
  public int imageCount() throws IOException {
    return index().size();
  }

  @Override
  public TeacherResult generate(TeacherRequest request) throws IOException {
    DatasetIndex.Entry entry = index().pick(request.itemId(), request.seed());
    byte[] bytes;
    try (InputStream in = store.get(entry.imageKey())) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new TeacherException(request.itemId(), "cannot read dataset image " + store.uri(entry.imageKey())
          + ": " + e.getMessage(), e);
    }
    BufferedImage image;
    try {
      image = ImageCodec.decodeRgb(bytes, store.uri(entry.imageKey()).toString());
    } catch (IOException e) {
      return new Refusal(request.itemId(), Refusal.UNUSABLE_SOURCE, e.getMessage());
    }
    ImageSize target = targetSize(request, image);
    double scale = ImageFit.coverScale(image.getWidth(), image.getHeight(), target.width(), target.height());
    if (scale > maxUpscale) {
      return new Refusal(request.itemId(), Refusal.UNUSABLE_SOURCE, String.format(Locale.ROOT,
          "dataset image %s is %dx%d; covering %s needs %.2fx enlargement, more than"
              + " teacher.dataset.max-upscale = %.2f",
          store.uri(entry.imageKey()), image.getWidth(), image.getHeight(), target, scale, maxUpscale));
    }
    String caption = readCaption(request.itemId(), entry.captionKey());
    byte[] png = ImageCodec.encodePng(ImageFit.cover(image, target.width(), target.height()));
    return new TeacherImage(request.itemId(), png, target.width(), target.height(), caption, caption,
        "dataset:" + entry.imageKey());
  }

  /** The size this teacher gives an image of {@code width × height} for {@code request}. */
  public ImageSize targetSize(TeacherRequest request, int width, int height) {
    ImageSize requested = new ImageSize(request.width(), request.height());
    if (!buckets) return requested;
    return AspectBuckets.around(requested, bucketStride, maxAspect).nearest(width, height);
  }

  private ImageSize targetSize(TeacherRequest request, BufferedImage image) {
    return targetSize(request, image.getWidth(), image.getHeight());
  }

  private String readCaption(String itemId, String key) throws IOException {
    String text;
    try (InputStream in = store.get(key)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TeacherException(itemId, "cannot read caption " + store.uri(key) + ": " + e.getMessage(), e);
    }
    if (!key.endsWith(".json")) return text.strip();
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TeacherException(itemId, "caption " + store.uri(key) + " is not valid JSON: "
          + e.getOriginalMessage(), e);
    }
    for (String field : new String[] {"caption", "generated_prompt", "prompt", "text"}) {
      JsonNode value = node == null ? null : node.get(field);
      if (value != null && value.isTextual() && !value.asText().isBlank()) return value.asText().strip();
    }
    throw new TeacherException(itemId, "caption " + store.uri(key)
        + " has no \"caption\" (or generated_prompt, prompt, text) string field");
  }

  private DatasetIndex index() throws IOException {
    DatasetIndex current = index;
    if (current != null) return current;
    synchronized (this) {
      if (index == null) {
        DatasetIndex scanned = DatasetIndex.scan(store, prefix);
        if (scanned.size() == 0) {
          throw new IllegalStateException("dataset teacher: no captioned images under " + location()
              + " (teacher.dataset.location); expected <name>.png|.jpg with <name>.txt or <name>.json"
              + (scanned.uncaptioned() > 0 ? "; found " + scanned.uncaptioned() + " images without captions" : ""));
        }
        if (scanned.uncaptioned() > 0) {
          log.warn("dataset {}: ignoring {} images without a caption", location(), scanned.uncaptioned());
        }
        log.info("dataset {}: {} captioned images", location(), scanned.size());
        index = scanned;
      }
      return index;
    }
  }

  private String location() {
    return prefix.isEmpty() ? store.root().toString() : store.uri(prefix).toString();
  }

  @Override
  public void close() {
    if (!ownsStore) return;
    try {
      store.close();
    } catch (Exception e) {
      log.warn("closing dataset store {} failed: {}", store.root(), e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "DatasetTeacher[" + location() + ", buckets=" + buckets + "]";
  }

  /**
   * Builder. Required: a location ({@link #setLocation(String)}) or a store and prefix
   * ({@link #setStore}). Optional, with defaults: {@code teacher.dataset.buckets} true,
   * {@code teacher.dataset.bucket-stride} 64, {@code teacher.dataset.max-aspect} 21/9,
   * {@code teacher.dataset.max-upscale} 1.25.
   */
  public static final class Builder {
    private ObjectStore store;
    private boolean ownsStore;
    private String prefix = "";
    private boolean buckets = true;
    private int bucketStride = 64;
    private double maxAspect = 21.0 / 9.0;
    private double maxUpscale = 1.25;

    private Builder() {}

    /** The dataset's folder path, {@code file://} or {@code s3://bucket/prefix/} URI. */
    public Builder setLocation(String location) throws IOException {
      if (location == null || location.isBlank()) {
        throw new IllegalArgumentException("teacher.dataset.location is empty");
      }
      this.store = ObjectStores.open(location.endsWith("/") || !location.contains("://") ? location : location + "/");
      this.ownsStore = true;
      this.prefix = "";
      return this;
    }

    /** Images under {@code prefix} (empty: the whole store) of a store the caller keeps open. */
    public Builder setStore(ObjectStore store, String prefix) {
      this.store = Objects.requireNonNull(store, "store == null");
      this.ownsStore = false;
      this.prefix = Keys.checkPrefix(Objects.requireNonNull(prefix, "prefix == null"));
      return this;
    }

    public Builder optBuckets(boolean buckets) {
      this.buckets = buckets;
      return this;
    }

    public Builder optBucketStride(int bucketStride) {
      this.bucketStride = bucketStride;
      return this;
    }

    public Builder optMaxAspect(double maxAspect) {
      this.maxAspect = maxAspect;
      return this;
    }

    public Builder optMaxUpscale(double maxUpscale) {
      this.maxUpscale = maxUpscale;
      return this;
    }

    public DatasetTeacher build() {
      if (store == null) {
        throw new IllegalArgumentException("teacher.dataset.location is not set (a folder or s3:// prefix)");
      }
      if (bucketStride < 16 || bucketStride % 16 != 0) {
        throw new IllegalArgumentException(
            "teacher.dataset.bucket-stride must be a positive multiple of 16, got " + bucketStride);
      }
      if (!(maxAspect >= 1)) {
        throw new IllegalArgumentException("teacher.dataset.max-aspect must be >= 1, got " + maxAspect);
      }
      if (!(maxUpscale >= 1)) {
        throw new IllegalArgumentException("teacher.dataset.max-upscale must be >= 1, got " + maxUpscale);
      }
      return new DatasetTeacher(this);
    }
  }
}
