package dev.urae.model.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.model.Python;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The transformers references of {@code src/test/python/text_references.py}, generated once per
 * script version into {@code target/text-references}. Tests skip, saying why, when python3 cannot
 * import what the script needs ({@code .ci/run} installs it).
 */
public final class TextReferences {
  /** What the script imports. */
  public static final String MODULES = "torch, transformers, sentencepiece, google.protobuf, safetensors";
  private static Path dir;

  private TextReferences() {}

  /** The folder with the references; skips the calling test when Python cannot make them. */
  public static synchronized Path dir() throws IOException, InterruptedException {
    assumeTrue(Python.canImport(MODULES) && Python.canImport("importlib.util; assert importlib.util.find_spec('open_clip')"),
        "python3 cannot import " + MODULES + " and find open_clip (for CLIP's BPE vocabulary); transformers cross-checks skipped");
    if (dir == null) {
      // Regenerated only when the script changed since the last run (its digest is the stamp).
      Path script = Path.of("src", "test", "python", "text_references.py");
      Path out = Path.of("target", "text-references").toAbsolutePath();
      Path stamp = out.resolve("script.sha256");
      String digest = HexFormat.of().formatHex(sha256(Files.readAllBytes(script)));
      if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(digest)) {
        Python.runFile(script, 600, out.toString());
        Files.writeString(stamp, digest);
      }
      dir = out;
    }
    return dir;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The prompt set. */
  public static List<String> prompts() throws IOException, InterruptedException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(dir().resolve("prompts.json")));
    List<String> out = new ArrayList<>();
    root.get("prompts").forEach(p -> out.add(p.asText()));
    return out;
  }

  /** T5 token count the references were made with. */
  public static int t5Length() throws IOException, InterruptedException {
    return new ObjectMapper().readTree(Files.readAllBytes(dir().resolve("prompts.json"))).get("t5_length").asInt();
  }

  /** A component folder of the references (clip_a, t5_b, …), opened by the checkpoint reader. */
  public static Component component(String name) {
    try {
      Path folder = dir().resolve(name);
      return Checkpoint.open(folder).component(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
