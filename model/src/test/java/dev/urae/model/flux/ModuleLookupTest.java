package dev.urae.model.flux;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.LayerNorm;
import dev.urae.model.nn.RmsNorm;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blocks' constructors take exactly the modules their layout walk lists, name for name. */
class ModuleLookupTest {
  private static final FluxConfig CONFIG = FluxPresets.TINY;
  private static final String PREFIX = FluxLayout.doubleBlock(0);

  private NDManager manager;
  private final Map<String, AdaptableLinear> linears = new LinkedHashMap<>();
  private final Map<String, RmsNorm> norms = new LinkedHashMap<>();
  private LayerNorm layerNorm;

  @BeforeEach
  void create() {
    manager = NDManager.newBaseManager();
    layerNorm = new LayerNorm(manager, CONFIG.innerDim(), 1e-6f);
    // given: every module of the layout, built from the layout alone
    FluxLayout.walk(CONFIG, new FluxLayout.Visitor() {
      @Override
      public void linear(String module, int in, int out) {
        linears.put(module, AdaptableLinear.zeros(manager, in, out, true));
      }

      @Override
      public void rmsNorm(String module, int dim) {
        norms.put(module, new RmsNorm(manager, dim, Attention.QK_NORM_EPS));
      }
    });
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void everyBlockTakesExactlyTheModulesTheLayoutListsForIt() {
    for (int i = 0; i < CONFIG.numLayers(); i++) {
      // when
      ModuleLookup modules = new ModuleLookup(FluxLayout.doubleBlock(i), linears, norms);
      new DoubleStreamBlock(CONFIG, layerNorm, modules);

      // then
      modules.requireAllTaken();
    }
    for (int i = 0; i < CONFIG.numSingleLayers(); i++) {
      ModuleLookup modules = new ModuleLookup(FluxLayout.singleBlock(i), linears, norms);
      new SingleStreamBlock(CONFIG, layerNorm, modules);
      modules.requireAllTaken();
    }
  }

  @Test
  void aModuleTheBlockAsksForButTheLayoutLacksIsNamed() {
    // given
    linears.remove(PREFIX + "attn.to_add_out");

    // when / then
    assertThatThrownBy(() -> new DoubleStreamBlock(CONFIG, layerNorm, new ModuleLookup(PREFIX, linears, norms)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(PREFIX + "attn.to_add_out");
  }

  @Test
  void aModuleTheLayoutListsButNoBlockUsesIsNamed() {
    // given
    norms.put(PREFIX + "attn.norm_extra", new RmsNorm(manager, CONFIG.attentionHeadDim(), Attention.QK_NORM_EPS));
    ModuleLookup modules = new ModuleLookup(PREFIX, linears, norms);
    new DoubleStreamBlock(CONFIG, layerNorm, modules);

    // when / then
    assertThatThrownBy(modules::requireAllTaken)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(PREFIX + "attn.norm_extra");
  }
}
