package dev.urae.model.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import dev.urae.model.tensors.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FluxPresetsTest {
  @Test
  void fluxDevHasThePublishedParameterCount() {
    assertThat(FluxLayout.of(FluxPresets.byName("flux-dev")).parameterCount()).isEqualTo(11_901_408_320L);
  }

  @Test
  void fluxSchnellHasNoGuidanceEmbedder() {
    // when
    FluxLayout layout = FluxLayout.of(FluxPresets.byName("flux-schnell"));

    // then
    assertThat(layout.parameterCount()).isEqualTo(11_891_178_560L);
    assertThat(layout.tensors()).extracting(TensorSpec::name).noneMatch(n -> n.contains("guidance_embedder"));
  }

  @Test
  void fluxDevUsesDiffusersNamesAndShapes() {
    // when
    List<TensorSpec> tensors = FluxLayout.of(FluxPresets.FLUX_DEV).tensors();

    // then
    assertThat(tensors).contains(
        new TensorSpec("x_embedder.weight", new Shape(3072, 64)),
        new TensorSpec("context_embedder.weight", new Shape(3072, 4096)),
        new TensorSpec("time_text_embed.guidance_embedder.linear_1.weight", new Shape(3072, 256)),
        new TensorSpec("transformer_blocks.18.attn.to_out.0.weight", new Shape(3072, 3072)),
        new TensorSpec("transformer_blocks.0.attn.norm_added_k.weight", new Shape(128)),
        new TensorSpec("single_transformer_blocks.37.proj_out.weight", new Shape(3072, 15360)),
        new TensorSpec("single_transformer_blocks.0.proj_mlp.weight", new Shape(12288, 3072)),
        new TensorSpec("norm_out.linear.weight", new Shape(6144, 3072)),
        new TensorSpec("proj_out.bias", new Shape(64)));
    assertThat(tensors).extracting(TensorSpec::name).doesNotHaveDuplicates();
  }

  @Test
  void demoIsPixelSpaceAndSmall() {
    // when
    FluxConfig demo = FluxPresets.byName("demo");

    // then
    assertThat(demo.inChannels()).isEqualTo(12);
    assertThat(demo.latentChannels()).isEqualTo(3);
    assertThat(FluxLayout.of(demo).parameterCount()).isLessThan(3_000_000L);
    assertThat(FluxLayout.of(FluxPresets.TINY).parameterCount()).isLessThan(FluxLayout.of(demo).parameterCount());
  }

  @Test
  void unknownPresetListsTheKnownOnes() {
    assertThatThrownBy(() -> FluxPresets.byName("flux-pro"))
        .hasMessage("unknown preset 'flux-pro': use one of tiny, demo, flux-dev, flux-schnell");
  }

  @Test
  void builderNamesTheInvalidField() {
    assertThatThrownBy(() -> FluxPresets.TINY.toBuilder().setAxesDimsRope(4, 4, 4).build())
        .hasMessageContaining("axesDimsRope must sum to attentionHeadDim 16");
    assertThatThrownBy(() -> FluxPresets.TINY.toBuilder().setInChannels(10).build())
        .hasMessageContaining("inChannels must be a positive multiple of 4");
    assertThatThrownBy(() -> FluxConfig.builder().setInChannels(4).build())
        .hasMessageContaining("numLayers must be set");
  }
}
