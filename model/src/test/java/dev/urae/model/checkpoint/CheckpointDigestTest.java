package dev.urae.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDigestTest {
  @TempDir Path dir;
  private Path shard;
  private long dataStart;

  /** A folder with a config and a 4 MiB safetensors shard: larger than the 16 samples of 64 KiB it is digested by. */
  @BeforeEach
  void folder() throws IOException {
    Files.createDirectories(dir.resolve("transformer"));
    Files.writeString(dir.resolve("transformer/config.json"), "{\"num_layers\": 19}");
    byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1048576],\"data_offsets\":[0,4194304]}}".getBytes(StandardCharsets.UTF_8);
    shard = dir.resolve("transformer/diffusion_pytorch_model.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      f.write(header);
      byte[] data = new byte[4 << 20];
      for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
      f.write(data);
    }
    dataStart = 8 + header.length;
  }

  @Test
  void theSameFilesGiveTheSameDigest() throws IOException {
    // when
    String first = CheckpointDigest.of(dir);
    Files.writeString(dir.resolve(".cache"), "download bookkeeping");

    // then: hidden files are not weights
    assertThat(CheckpointDigest.of(dir)).isEqualTo(first).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void aConfigChangeChangesTheDigest() throws IOException {
    // given
    String before = CheckpointDigest.of(dir);

    // when
    Files.writeString(dir.resolve("transformer/config.json"), "{\"num_layers\": 18}");

    // then
    assertThat(CheckpointDigest.of(dir)).isNotEqualTo(before);
  }

  @Test
  void aShardHeaderChangeChangesTheDigest() throws IOException {
    // given
    String before = CheckpointDigest.of(dir);

    // when: the tensor is renamed, same length
    overwrite(8 + 2, (byte) 'v');

    // then
    assertThat(CheckpointDigest.of(dir)).isNotEqualTo(before);
  }

  @Test
  void retrainedWeightsChangeTheDigestThroughTheSampledBlocks() throws IOException {
    // given
    String before = CheckpointDigest.of(dir);

    // when: a byte of the first sampled block (at the start of the data) changes
    overwrite(dataStart + 100, (byte) 7);

    // then
    assertThat(CheckpointDigest.of(dir)).isNotEqualTo(before);
  }

  @Test
  void anEditBetweenTheSamplesIsNotSeen() throws IOException {
    // given: the documented price of not reading every byte
    String before = CheckpointDigest.of(dir);

    // when: a byte just past the first 64 KiB block, before the second (stride ~ 4 MiB / 15)
    overwrite(dataStart + CheckpointDigest.SAMPLE_BYTES + 10, (byte) 7);

    // then
    assertThat(CheckpointDigest.of(dir)).isEqualTo(before);
  }

  @Test
  void aTruncatedShardIsRefusedByName() throws IOException {
    // when
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      f.setLength(20);
    }

    // then
    assertThatThrownBy(() -> CheckpointDigest.of(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("diffusion_pytorch_model.safetensors").hasMessageContaining("truncated");
  }

  private void overwrite(long position, byte value) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      f.seek(position);
      f.write(value);
    }
  }
}
