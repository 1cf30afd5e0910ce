package dev.urae.model.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.Approx;
import dev.urae.model.Python;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointLayout;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.TensorLoader;
import dev.urae.model.component.ConfigJson;
import dev.urae.model.component.RandomComponent;
import dev.urae.model.pipeline.CheckpointInspection;
import dev.urae.model.pipeline.FluxCheckpointConverter;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BFL's single autoencoder file ({@code ae.safetensors}) against the same weights in diffusers'
 * layout: one random VAE written both ways by {@code generate_bfl_vae.py} (the BFL names by an
 * inverse mapping written in Python from BFL's module structure), FLUX's architecture at small
 * widths (32 groups as BFL hard-codes, a width change so a shortcut conv exists).
 */
class BflVaeCheckpointTest {
  static final VaeConfig SMALL = new VaeConfig(3, 3, 16, List.of(32, 64), 1, 32, 0.3611, 0.1159, false, false, true);

  @TempDir Path dir;

  @BeforeEach
  void writeBothLayouts() throws Exception {
    assumeTrue(Python.canImport("torch, safetensors"), "python3 cannot import torch and safetensors; BFL VAE fixture skipped");
    RandomComponent.write(SMALL, dir.resolve("init"), 5, DType.F32);
    Python.runFile(Path.of("src", "test", "python", "generate_bfl_vae.py"), 600, dir.resolve("init").toString(), dir.toString());
  }

  @Test
  void bflFileLoadsToTheDiffusersTensorsAndDecodesIdentically() throws Exception {
    // given
    Checkpoint bfl = Checkpoint.open(dir.resolve("ae.safetensors"));
    Component diffusers = Checkpoint.open(dir.resolve("vae")).component("vae");

    // then: the layout is recognised, the config inferred from shapes, every tensor the same
    assertThat(bfl.layout()).isEqualTo(CheckpointLayout.BFL_VAE);
    Component mapped = bfl.component("vae");
    assertThat(VaeConfig.from(ConfigJson.of(mapped))).isEqualTo(SMALL);
    assertThat(mapped.tensors().names()).containsExactlyInAnyOrderElementsOf(diffusers.tensors().names());
    try (NDManager manager = NDManager.newBaseManager()) {
      for (String name : diffusers.tensors().names()) {
        NDArray expected = TensorLoader.load(diffusers.tensors().get(name), manager, Device.cpu());
        NDArray actual = TensorLoader.load(mapped.tensors().get(name), manager, Device.cpu());
        assertThat(actual.getShape()).as(name).isEqualTo(expected.getShape());
        assertThat(actual.contentEquals(expected)).as(name).isTrue();
      }

      // when: both decode the same latents
      try (SafeTensorsFile reference = SafeTensorsFile.open(dir.resolve("decode.safetensors"));
           AutoencoderKl fromBfl = AutoencoderKl.load(mapped, Device.cpu(), manager, "bfl");
           AutoencoderKl fromDiffusers = AutoencoderKl.load(diffusers, Device.cpu(), manager, "diffusers")) {
        NDArray latents = reference.load("latents", manager);
        NDArray a = fromBfl.decodeRaw(latents);
        NDArray b = fromDiffusers.decodeRaw(latents);

        // then: identical, and the reference's decode
        assertThat(a.contentEquals(b)).isTrue();
        Approx.assertClose("decoded", a, reference.load("decoded", manager), 1e-4);
      }
    }
  }

  @Test
  void convertWritesTheDiffusersComponent() throws Exception {
    // when
    VaeConfig written = FluxCheckpointConverter.vaeToDiffusers(Checkpoint.open(dir.resolve("ae.safetensors")), dir.resolve("converted"), 10_000_000_000L);

    // then
    assertThat(written).isEqualTo(SMALL);
    Component converted = Checkpoint.open(dir.resolve("converted").resolve("vae")).component("vae");
    Component diffusers = Checkpoint.open(dir.resolve("vae")).component("vae");
    assertThat(VaeConfig.from(ConfigJson.of(converted))).isEqualTo(SMALL);
    try (NDManager manager = NDManager.newBaseManager()) {
      for (String name : diffusers.tensors().names()) {
        NDArray expected = TensorLoader.load(diffusers.tensors().get(name), manager, Device.cpu());
        assertThat(TensorLoader.load(converted.tensors().get(name), manager, Device.cpu()).contentEquals(expected)).as(name).isTrue();
      }
    }
  }

  @Test
  void inspectShowsTheAutoencoderWithoutProblems() {
    // when
    CheckpointInspection inspection = CheckpointInspection.of(Checkpoint.read(dir.resolve("ae.safetensors")), null);
    StringWriter report = new StringWriter();
    inspection.print(new PrintWriter(report));

    // then
    assertThat(inspection.problems()).isEmpty();
    assertThat(report.toString()).contains("Black Forest Labs single-file autoencoder").contains("AutoencoderKL").contains("not in the file")
        .contains("problems: none");
  }

  @Test
  void aMissingTensorIsNamedInBflTerms() {
    // when / then
    assertThatThrownBy(() -> Checkpoint.open(dir.resolve("ae-missing.safetensors")))
        .hasMessageContaining("decoder.mid.attn_1.q.weight")
        .hasMessageContaining("missing")
        .hasMessageContaining("decoder.mid_block.attentions.0.to_q.weight");
  }

  @Test
  void aMissingShortcutConvIsNamedInBflTermsWithItsShape() {
    // given a BFL file without the 1×1 shortcut conv of the decoder's full-resolution first block (64 → 32 wide)
    Path file = dir.resolve("ae-no-shortcut.safetensors");

    // when
    List<CheckpointProblem> problems = Checkpoint.read(file).problems();

    // then exactly that tensor is reported, by the name the file lacks, with the shape it must have
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.tensor()).isEqualTo("decoder.up.0.block.0.nin_shortcut.weight");
      assertThat(p.toString()).contains("missing").contains("[32, 64, 1, 1]").contains("decoder.up_blocks.1.resnets.0.conv_shortcut")
          .contains("from 64 to 32");
    });
  }
}
