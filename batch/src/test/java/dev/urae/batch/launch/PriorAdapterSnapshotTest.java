package dev.urae.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriorAdapterSnapshotTest {
  @TempDir Path dir;
  private FileObjectStore store;
  private Path lora;

  @BeforeEach
  void given() throws Exception {
    store = new FileObjectStore(dir.resolve("store"));
    lora = dir.resolve("2k.safetensors");
    try (NDManager manager = NDManager.newBaseManager()) {
      SafeTensorsWriter writer = new SafeTensorsWriter();
      writer.add("transformer.transformer_blocks.0.attn.to_q.lora_A.weight", manager.ones(new Shape(2, 8)));
      writer.add("transformer.transformer_blocks.0.attn.to_q.lora_B.weight", manager.zeros(new Shape(8, 2)));
      writer.write(lora);
    }
  }

  @Test
  void aFileIsReadOnceWithItsDigestAndTheRunKeepsItsOwnCopy() throws Exception {
    // when
    try (PriorAdapterSnapshot snapshot = PriorAdapterSnapshot.take(lora.toString(), store)) {
      snapshot.keepCopy(store, new RunLayout("0123456789abcdef"));

      // then
      assertThat(snapshot.sha256()).hasSize(64);
      assertThat(store.exists("runs/0123456789abcdef/input/from-adapter.safetensors")).isTrue();
      assertThat(Files.readAllBytes(dir.resolve("store/runs/0123456789abcdef/input/from-adapter.safetensors")))
          .isEqualTo(Files.readAllBytes(lora));
    }
  }

  @Test
  void aRunIdNamesThatRunsAdapter() throws Exception {
    // given a finished run's adapter in the store
    store.putFile(new RunLayout("fedcba9876543210").adapter(), lora);

    // when / then
    try (PriorAdapterSnapshot snapshot = PriorAdapterSnapshot.take("fedcba9876543210", store)) {
      assertThat(Files.readAllBytes(snapshot.file())).isEqualTo(Files.readAllBytes(lora));
    }
  }

  @Test
  void aRunWithoutAdapterIsRefusedSayingSo() {
    assertThatThrownBy(() -> PriorAdapterSnapshot.take("fedcba9876543210", store))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--from-adapter fedcba9876543210")
        .hasMessageContaining("run fedcba9876543210 has no adapter");
  }

  @Test
  void aMissingFileIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> PriorAdapterSnapshot.take(dir.resolve("nope.safetensors").toString(), store))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("urae.pipeline.adapt.from-adapter").hasMessageContaining("no such file");
  }

  @Test
  void aFileThatIsNotADiffusersLoraIsRefused() throws Exception {
    // given safetensors with other keys, and a text file
    Path weights = dir.resolve("weights.safetensors");
    try (NDManager manager = NDManager.newBaseManager()) {
      SafeTensorsWriter writer = new SafeTensorsWriter();
      writer.add("transformer_blocks.0.attn.to_q.weight", manager.ones(new Shape(2, 2)));
      writer.write(weights);
    }
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello");

    // when / then
    assertThatThrownBy(() -> PriorAdapterSnapshot.take(weights.toString(), store))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a diffusers LoRA");
    assertThatThrownBy(() -> PriorAdapterSnapshot.take(text.toString(), store))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a safetensors file");
  }
}
