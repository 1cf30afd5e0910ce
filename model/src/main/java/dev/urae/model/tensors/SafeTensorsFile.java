package dev.urae.model.tensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading: the header is parsed and validated strictly on
 * {@link #open(Path)}, tensor bytes are memory-mapped on demand, one tensor at a time, so files
 * far larger than the heap (a 24 GB FLUX checkpoint) can be read.
 *
 * <p>Format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each tensor
 * name to {@code {dtype, shape, data_offsets: [begin, end]}} (offsets relative to the data
 * buffer that follows) plus an optional {@code __metadata__} string map, then the data:
 * row-major little-endian, contiguous, no holes, no overlaps.
 */
public final class SafeTensorsFile implements AutoCloseable {
  /** Headers larger than this are refused, as the reference implementation does. */
  public static final long MAX_HEADER_BYTES = 100L * 1000 * 1000;

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorEntry> entries;
  private final Map<String, String> metadata;

  private SafeTensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorEntry> entries, Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /**
   * Opens and validates {@code path}.
   *
   * @throws InvalidSafeTensorsException naming the file and the first structural problem:
   *     truncated file, header length beyond the file or over 100 MB, non-JSON header, unknown
   *     dtype, duplicate names, offsets that disagree with shape × dtype, overlap or leave holes
   */
  public static SafeTensorsFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = channel.size();
      if (size < 8) throw new InvalidSafeTensorsException(path, "truncated: " + size + " bytes, but a safetensors file starts with an 8-byte header length");
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw new InvalidSafeTensorsException(path, "header length " + Long.toUnsignedString(headerLength) + " exceeds the 100 MB limit");
      }
      if (headerLength > size - 8) {
        throw new InvalidSafeTensorsException(path, "header length " + headerLength + " reaches beyond the end of the file (" + size + " bytes)");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, 8);
      long dataLength = size - 8 - headerLength;
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, TensorEntry> entries = parseHeader(path, new String(header.array(), StandardCharsets.UTF_8), metadata);
      validateLayout(path, entries, dataLength);
      return new SafeTensorsFile(path, channel, 8 + headerLength, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Map<String, TensorEntry> parseHeader(Path path, String text, Map<String, String> metadata) throws InvalidSafeTensorsException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonParseException e) {
      String message = e.getOriginalMessage();
      if (message != null && message.startsWith("Duplicate field")) {
        throw new InvalidSafeTensorsException(path, "duplicate tensor name in header: " + message.substring("Duplicate field ".length()));
      }
      throw new InvalidSafeTensorsException(path, "header is not valid JSON: " + message);
    } catch (IOException e) {
      throw new InvalidSafeTensorsException(path, "header is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) throw new InvalidSafeTensorsException(path, "header is not a JSON object");
    Map<String, TensorEntry> entries = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode node = field.getValue();
      if (name.equals("__metadata__")) {
        if (!node.isObject()) throw new InvalidSafeTensorsException(path, "__metadata__ must be a map of strings");
        for (Iterator<Map.Entry<String, JsonNode>> m = node.fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = m.next();
          if (!kv.getValue().isTextual()) throw new InvalidSafeTensorsException(path, "__metadata__ value of '" + kv.getKey() + "' is not a string");
          metadata.put(kv.getKey(), kv.getValue().asText());
        }
        continue;
      }
      entries.put(name, parseEntry(path, name, node));
    }
    return entries;
  }

  private static TensorEntry parseEntry(Path path, String name, JsonNode node) throws InvalidSafeTensorsException {
    String where = "tensor '" + name + "': ";
    if (!node.isObject()) throw new InvalidSafeTensorsException(path, where + "entry is not a JSON object");
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) throw new InvalidSafeTensorsException(path, where + "missing dtype");
    DType dtype = DType.parse(dtypeNode.asText());
    if (dtype == null) {
      throw new InvalidSafeTensorsException(path, where + "unknown dtype '" + dtypeNode.asText() + "' (supported: F32, F16, BF16, I64, I32, U8)");
    }
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) throw new InvalidSafeTensorsException(path, where + "missing shape");
    long[] dims = new long[shapeNode.size()];
    long elements = 1;
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) throw new InvalidSafeTensorsException(path, where + "shape " + shapeNode + " is not a list of non-negative integers");
      dims[i] = d.asLong();
      elements = Math.multiplyExact(elements, dims[i]);
    }
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
      throw new InvalidSafeTensorsException(path, where + "data_offsets must be [begin, end]");
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin) throw new InvalidSafeTensorsException(path, where + "data_offsets [" + begin + ", " + end + "] are not an increasing range");
    long expected = Math.multiplyExact(elements, dtype.bytes());
    if (end - begin != expected) {
      throw new InvalidSafeTensorsException(path, where + "data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
          + " bytes but shape " + shapeNode + " of " + dtype + " needs " + expected);
    }
    return new TensorEntry(name, dtype, new Shape(dims), begin, end);
  }

  private static void validateLayout(Path path, Map<String, TensorEntry> entries, long dataLength) throws InvalidSafeTensorsException {
    List<TensorEntry> sorted = new ArrayList<>(entries.values());
    sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
    long position = 0;
    TensorEntry previous = null;
    for (TensorEntry e : sorted) {
      if (e.begin() < position) {
        throw new InvalidSafeTensorsException(path, "tensors '" + previous.name() + "' and '" + e.name() + "' overlap (bytes " + e.begin() + " to " + position + ")");
      }
      if (e.begin() > position) {
        throw new InvalidSafeTensorsException(path, "hole of " + (e.begin() - position) + " bytes in the data before tensor '" + e.name() + "' (offset " + position + ")");
      }
      position = e.end();
      previous = e;
    }
    if (position > dataLength) {
      throw new InvalidSafeTensorsException(path, "truncated: tensor '" + previous.name() + "' ends at data byte " + position + " but the file holds only " + dataLength + " data bytes");
    }
    if (position < dataLength) {
      throw new InvalidSafeTensorsException(path, (dataLength - position) + " unused bytes after the last tensor (a hole at the end of the data)");
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) throw new IOException("unexpected end of file");
      position += n;
    }
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** Tensors in header order. */
  public List<TensorEntry> tensors() {
    return List.copyOf(entries.values());
  }

  /** Tensor names in header order. */
  public List<String> names() {
    return List.copyOf(entries.keySet());
  }

  /** Whether the file holds a tensor called {@code name}. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** The entry for {@code name}. */
  public TensorEntry entry(String name) {
    TensorEntry e = entries.get(name);
    if (e == null) throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
    return e;
  }

  /** Where {@code name}'s bytes start in the file (header included), for readers that map or copy byte ranges. */
  public long fileOffset(String name) {
    return dataStart + entry(name).begin();
  }

  /** The {@code __metadata__} map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor's bytes, memory-mapped, little-endian. */
  public ByteBuffer bytes(String name) throws IOException {
    TensorEntry e = entry(name);
    if (e.byteLength() > Integer.MAX_VALUE) throw new IOException(path + ": tensor '" + name + "' is larger than 2 GiB");
    if (e.byteLength() == 0) return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A floating-point tensor's values widened to float32. */
  public float[] floats(String name) throws IOException {
    TensorEntry e = entry(name);
    ByteBuffer b = bytes(name);
    int n = Math.toIntExact(e.byteLength() / e.dtype().bytes());
    float[] out = new float[n];
    switch (e.dtype()) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> { for (int i = 0; i < n; i++) out[i] = HalfFloats.f16ToFloat(b.getShort(2 * i)); }
      case BF16 -> { for (int i = 0; i < n; i++) out[i] = HalfFloats.bf16ToFloat(b.getShort(2 * i)); }
      default -> throw new IllegalArgumentException(path + ": tensor '" + name + "' is " + e.dtype() + ", not a float type");
    }
    return out;
  }

  /**
   * Loads a tensor into {@code manager}: float types become float32 (the model computes in
   * float32), integer types keep their type.
   */
  public NDArray load(String name, NDManager manager) throws IOException {
    TensorEntry e = entry(name);
    NDArray array = e.dtype().isFloating()
        ? manager.create(floats(name), e.shape())
        : manager.create(bytes(name), e.shape(), e.dtype().djl());
    array.setName(name);
    return array;
  }

  /** Loads every tensor (see {@link #load(String, NDManager)}), in header order. */
  public Map<String, NDArray> loadAll(NDManager manager) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (String name : entries.keySet()) out.put(name, load(name, manager));
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
