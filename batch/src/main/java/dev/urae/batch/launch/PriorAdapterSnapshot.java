package dev.urae.batch.launch;

import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.ObjectLocation;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import dev.urae.model.adapter.DiffusersLora;
import dev.urae.model.tensors.SafeTensorsFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The adapter a run chains onto ({@code --from-adapter}: a file, an {@code s3://} object, or the
 * id of a run in this store, meaning that run's {@code adapt/adapter.safetensors}), read once at
 * launch and checked to be a diffusers LoRA. Its SHA-256 joins the run's identity, and the run
 * keeps its own copy ({@link RunLayout#priorAdapter()}), so workers anywhere read the same bytes.
 */
public final class PriorAdapterSnapshot implements AutoCloseable {
  /** Run option holding the chained adapter's SHA-256; set at launch, never by users. */
  public static final String SHA256 = "adapt.from-adapter.sha256";
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{16}");

  private final Path file;
  private final String sha256;

  private PriorAdapterSnapshot(Path file, String sha256) {
    this.file = file;
    this.sha256 = sha256;
  }

  /** Reads what {@code --from-adapter} names; {@code store} is the run's store (for a run id). */
  public static PriorAdapterSnapshot take(String from, ObjectStore store) throws IOException {
    String option = "--from-adapter " + from + " (urae.pipeline.adapt.from-adapter)";
    Path file = Files.createTempFile("urae-from-adapter-", ".safetensors");
    try {
      String sha256;
      if (RUN_ID.matcher(from).matches() && !Files.exists(Path.of(from))) {
        String key = new RunLayout(from).adapter();
        if (!store.exists(key)) {
          throw new IllegalArgumentException(option + ": run " + from + " has no adapter at " + store.uri(key)
              + "; name a run whose adapt stage finished (urae list, urae status " + from + ")");
        }
        sha256 = copy(store, key, file);
      } else {
        ObjectLocation location;
        try {
          location = ObjectLocation.parse(from);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (!location.isS3() && !Files.isRegularFile(Path.of(location.uri()))) {
          throw new IllegalArgumentException(option + ": no such file (give a file, an s3:// object or the id of a finished run)");
        }
        try (ObjectStore source = ObjectStores.open(location.storeRoot())) {
          sha256 = copy(source, location.key(), file);
        } catch (NoSuchObjectException e) {
          throw new IllegalArgumentException(option + ": no such object", e);
        }
      }
      requireDiffusersLora(file, option);
      return new PriorAdapterSnapshot(file, sha256);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private static String copy(ObjectStore store, String key, Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = store.get(key); OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
      in.transferTo(out);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void requireDiffusersLora(Path file, String option) {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      if (!DiffusersLora.isDiffusersLora(in)) {
        throw new IllegalArgumentException(option + ": not a diffusers LoRA (every key must be transformer.<module>.lora_A.weight or"
            + " .lora_B.weight, as the adapt stage writes adapt/adapter.safetensors)");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException bad && bad.getMessage().startsWith(option)) throw bad;
      throw new IllegalArgumentException(option + ": not a safetensors file (" + e.getMessage() + ")", e);
    }
  }

  public Path file() {
    return file;
  }

  public String sha256() {
    return sha256;
  }

  /** Keeps the run's copy; its content is fixed by the run id (the digest is part of it), so an existing copy is this one. */
  public void keepCopy(ObjectStore store, RunLayout layout) throws IOException {
    if (!store.exists(layout.priorAdapter())) store.putFile(layout.priorAdapter(), file);
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(file);
  }
}
