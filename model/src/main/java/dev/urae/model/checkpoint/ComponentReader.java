package dev.urae.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.TensorEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads one component folder from headers alone: its configuration and its tensors, sharded
 * ({@code *.safetensors.index.json} naming the shard of every tensor) or not. Every problem is
 * added to the caller's list instead of thrown, so a checkpoint reports all of them at once.
 */
final class ComponentReader {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Config file names, in the order they are looked for. */
  private static final List<String> CONFIG_FILES = List.of("config.json", "scheduler_config.json", "tokenizer_config.json");
  private static final String INDEX_SUFFIX = ".safetensors.index.json";
  private static final Pattern SHARD = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.safetensors");

  private ComponentReader() {}

  /** Reads the component {@code name} in {@code dir}; {@code className} may be null. */
  static Component read(String name, Path dir, String className, List<CheckpointProblem> problems) {
    JsonNode config = config(dir, problems);
    if (className == null && config.hasNonNull("_class_name")) className = config.get("_class_name").asText();
    return new Component(name, dir, className, config, tensors(dir, problems));
  }

  /** Parses a JSON file, adding a problem and returning null when it is not valid JSON. */
  static JsonNode json(Path file, List<CheckpointProblem> problems) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      problems.add(CheckpointProblem.of(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse("")));
      return null;
    }
  }

  /** Reads the tensor headers of one safetensors file. */
  static List<StoredTensor> headers(Path file, List<CheckpointProblem> problems) {
    List<StoredTensor> out = new ArrayList<>();
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      for (TensorEntry e : in.tensors()) {
        out.add(new StoredTensor(e.name(), e.dtype(), e.shape(), List.of(new ByteRange(file, in.fileOffset(e.name()), e.byteLength()))));
      }
    } catch (IOException e) {
      // InvalidSafeTensorsException already names the file.
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      problems.add(CheckpointProblem.of(file, message.startsWith(file.toString()) ? message.substring(file.toString().length() + 2) : message));
    }
    return out;
  }

  private static JsonNode config(Path dir, List<CheckpointProblem> problems) {
    for (String name : CONFIG_FILES) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        JsonNode node = json(file, problems);
        if (node != null && !node.isObject()) problems.add(CheckpointProblem.of(file, "expected a JSON object"));
        return node != null && node.isObject() ? node : JSON.createObjectNode();
      }
    }
    return JSON.createObjectNode();
  }

  private static TensorSet tensors(Path dir, List<CheckpointProblem> problems) {
    List<Path> indexes = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(dir)) {
      listing.sorted().forEach(p -> {
        String n = p.getFileName().toString();
        if (n.endsWith(INDEX_SUFFIX)) indexes.add(p);
        else if (n.endsWith(".safetensors")) files.add(p);
      });
    } catch (IOException e) {
      problems.add(CheckpointProblem.of(dir, "cannot list the folder: " + e.getMessage()));
      return TensorSet.empty();
    }
    if (indexes.size() > 1) {
      problems.add(CheckpointProblem.of(dir, "several weight indexes " + names(indexes) + ": keep one"));
      return TensorSet.empty();
    }
    List<StoredTensor> tensors = indexes.isEmpty() ? unindexed(files, problems) : indexed(indexes.get(0), files, problems);
    Map<String, StoredTensor> byName = new LinkedHashMap<>();
    for (StoredTensor t : tensors) {
      StoredTensor earlier = byName.putIfAbsent(t.name(), t);
      if (earlier != null) {
        problems.add(new CheckpointProblem(t.ranges().get(0).file(), t.name(), "also stored in " + earlier.ranges().get(0).file().getFileName() + ": keep one"));
      }
    }
    return new TensorSet(byName.values());
  }

  private static List<StoredTensor> unindexed(List<Path> files, List<CheckpointProblem> problems) {
    missingShards(files, problems);
    List<StoredTensor> out = new ArrayList<>();
    for (Path f : files) out.addAll(headers(f, problems));
    return out;
  }

  /** Shards named {@code x-0000i-of-0000n} must all be there. */
  private static void missingShards(List<Path> files, List<CheckpointProblem> problems) {
    Map<String, TreeSet<Integer>> seen = new TreeMap<>();
    Map<String, Integer> totals = new TreeMap<>();
    for (Path f : files) {
      Matcher m = SHARD.matcher(f.getFileName().toString());
      if (!m.matches()) continue;
      String key = m.group(1) + "|" + m.group(3);
      seen.computeIfAbsent(key, k -> new TreeSet<>()).add(Integer.parseInt(m.group(2)));
      totals.put(key, Integer.parseInt(m.group(3)));
    }
    for (Map.Entry<String, TreeSet<Integer>> e : seen.entrySet()) {
      String stem = e.getKey().substring(0, e.getKey().indexOf('|'));
      int total = totals.get(e.getKey());
      for (int i = 1; i <= total; i++) {
        if (!e.getValue().contains(i)) {
          problems.add(CheckpointProblem.of(files.get(0).resolveSibling(String.format("%s-%05d-of-%05d.safetensors", stem, i, total)), "missing shard " + i + " of " + total));
        }
      }
    }
  }

  private static List<StoredTensor> indexed(Path index, List<Path> files, List<CheckpointProblem> problems) {
    JsonNode root = json(index, problems);
    if (root == null) return List.of();
    JsonNode map = root.get("weight_map");
    if (map == null || !map.isObject()) {
      problems.add(CheckpointProblem.of(index, "no \"weight_map\" object (tensor name -> shard file)"));
      return List.of();
    }
    Map<String, String> shardOf = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      shardOf.put(e.getKey(), e.getValue().asText());
    }
    Map<String, List<String>> byShard = new LinkedHashMap<>();
    shardOf.forEach((tensor, shard) -> byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(tensor));
    List<StoredTensor> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
      Path shard = index.resolveSibling(e.getKey());
      List<String> named = e.getValue();
      if (!Files.isRegularFile(shard)) {
        problems.add(new CheckpointProblem(index, named.get(0), "the index puts " + named.size() + " tensor(s) in " + e.getKey()
            + ", which is not there (missing shard; first tensor named)"));
        continue;
      }
      for (StoredTensor t : headers(shard, problems)) {
        if (!e.getKey().equals(shardOf.get(t.name()))) {
          problems.add(new CheckpointProblem(shard, t.name(), "not listed for this shard in " + index.getFileName()));
        } else {
          out.add(t);
        }
      }
    }
    // Tensors the index places in a present shard that does not hold them.
    java.util.Set<String> found = new java.util.HashSet<>();
    for (StoredTensor t : out) found.add(t.name());
    for (Map.Entry<String, String> e : shardOf.entrySet()) {
      Path shard = index.resolveSibling(e.getValue());
      if (Files.isRegularFile(shard) && !found.contains(e.getKey()) && readable(shard, problems)) {
        problems.add(new CheckpointProblem(shard, e.getKey(), "the index " + index.getFileName() + " puts it in this shard, which does not hold it"));
      }
    }
    for (Path f : files) {
      if (!byShard.containsKey(f.getFileName().toString())) {
        problems.add(CheckpointProblem.of(f, "not named by " + index.getFileName() + ": its tensors are ignored; add them to the index or remove the file"));
      }
    }
    return out;
  }

  /** Whether a shard had no header problem of its own (so missing tensors are not reported twice). */
  private static boolean readable(Path shard, List<CheckpointProblem> problems) {
    for (CheckpointProblem p : problems) if (p.file().equals(shard) && p.tensor() == null) return false;
    return true;
  }

  private static String names(List<Path> files) {
    List<String> out = new ArrayList<>();
    for (Path f : files) out.add(f.getFileName().toString());
    return out.toString();
  }
}
