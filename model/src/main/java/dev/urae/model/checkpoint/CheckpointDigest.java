package dev.urae.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Names the weights of a checkpoint folder (or file) as {@code sha256:<hex>}, for a run's
 * identity and the worker's "same weights as the launch" check, reading a few MB of FLUX.1-dev's
 * 33 GB instead of all of it (hashing it all takes minutes at disk speed, on every launch and in
 * every task). Over every regular file, sorted by relative path ({@code /}-separated, names
 * starting with {@code .} skipped: download caches and editor files are not weights), it hashes
 * the path and the size, then:
 *
 * <ul>
 *   <li>a {@code .safetensors} file: its whole header (8-byte length and JSON: every tensor's
 *       name, dtype, shape and byte range, and the metadata), plus {@value #SAMPLES} blocks of
 *       {@value #SAMPLE_BYTES} bytes spread evenly over the tensor data;
 *   <li>any other file up to {@value #WHOLE_FILE_LIMIT} bytes (configs, indexes, tokenizers):
 *       all of it;
 *   <li>a larger other file: the same samples over the whole file.
 * </ul>
 *
 * <p>So any change of layout, shapes, dtypes, configs or tokenizers changes the digest, and so
 * does retraining or fine-tuning (every sampled block changes); an edit confined to bytes
 * between the samples of an otherwise identical file does not (give such weights another file
 * name, or another folder, to tell them apart). Every input is also readable from an object
 * store without downloading the shards: sizes from a listing, headers and samples by ranged
 * reads, so a digest of {@code s3://} weights can equal the one of their staged copy.
 */
public final class CheckpointDigest {
  /** Blocks sampled per large file. */
  public static final int SAMPLES = 16;
  /** Bytes per sampled block. */
  public static final int SAMPLE_BYTES = 64 * 1024;
  /** Other files up to this size are hashed whole. */
  public static final long WHOLE_FILE_LIMIT = 64L * 1024 * 1024;
  /** Largest safetensors header accepted (the format's own limit is 100 MB). */
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private CheckpointDigest() {}

  /**
   * The digest of {@code path}, a checkpoint folder or a single file.
   *
   * @throws IOException naming the file that cannot be read, or a safetensors file whose header
   *     length is impossible
   */
  public static String of(Path path) throws IOException {
    MessageDigest sha = sha256();
    Path root = Files.isDirectory(path) ? path : path.getParent();
    for (Path file : files(path)) {
      String relative = root == null ? file.toString() : relative(root, file);
      long size = Files.size(file);
      sha.update((relative + '\0' + size + '\0').getBytes(StandardCharsets.UTF_8));
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        if (relative.endsWith(".safetensors")) {
          long dataStart = header(channel, file, sha);
          samples(channel, dataStart, size, sha);
        } else if (size <= WHOLE_FILE_LIMIT) {
          try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
          }
        } else {
          samples(channel, 0, size, sha);
        }
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private static List<Path> files(Path path) throws IOException {
    if (!Files.isDirectory(path)) return List.of(path);
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> StreamSupport.stream(path.relativize(f).spliterator(), false).noneMatch(part -> part.toString().startsWith(".")))
          .sorted(Comparator.comparing(f -> relative(path, f)))
          .toList();
    }
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  /** Hashes the 8-byte length and the JSON header; returns where the tensor data starts. */
  private static long header(FileChannel channel, Path file, MessageDigest sha) throws IOException {
    ByteBuffer length = read(channel, 0, 8);
    if (length.remaining() < 8) throw new IOException(file + ": shorter than a safetensors header (8 bytes); the file is truncated");
    long n = length.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER || 8 + n > channel.size()) {
      throw new IOException(file + ": safetensors header length " + n + " does not fit the file (" + channel.size() + " bytes); the file is truncated or not safetensors");
    }
    sha.update(length);
    sha.update(read(channel, 8, (int) n));
    return 8 + n;
  }

  /** {@value #SAMPLES} blocks evenly spread over {@code [start, end)}, or all of it when that is smaller. */
  private static void samples(FileChannel channel, long start, long end, MessageDigest sha) throws IOException {
    long span = end - start;
    if (span <= (long) SAMPLES * SAMPLE_BYTES) {
      for (long at = start; at < end; at += SAMPLE_BYTES) sha.update(read(channel, at, (int) Math.min(SAMPLE_BYTES, end - at)));
      return;
    }
    long stride = (span - SAMPLE_BYTES) / (SAMPLES - 1);
    for (int i = 0; i < SAMPLES; i++) sha.update(read(channel, start + i * stride, SAMPLE_BYTES));
  }

  private static ByteBuffer read(FileChannel channel, long position, int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) break;
    }
    return buffer.flip();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
