package dev.urae.batch.stages.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.stages.CachedFeatures;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.model.codec.IdentityCodec;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.train.TrainingItem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedTrainingDataTest {
  @TempDir Path root;
  private NDManager manager;
  private FileObjectStore store;
  private ScratchFiles scratch;
  private final RunLayout layout = new RunLayout("r1");

  @BeforeEach
  void open() throws Exception {
    manager = NDManager.newBaseManager();
    store = new FileObjectStore(root.resolve("store"));
    scratch = new ScratchFiles();
  }

  @AfterEach
  void close() throws Exception {
    scratch.close();
    manager.close();
  }

  /** Caches item {@code id} with the given posterior, as the cache stage writes it. */
  private void cache(String id, LatentPosterior posterior, String codecId) throws Exception {
    Path latents = root.resolve(id + "_latents");
    CachedFeatures.writeLatents(latents, posterior, codecId, id);
    store.putFile(layout.cachedLatents(id), latents);
    for (boolean generated : new boolean[] {false, true}) {
      Path text = root.resolve(id + generated);
      TextEmbedding features = new TextEmbedding(manager.full(new Shape(4, 8), generated ? 2f : 1f), manager.zeros(new Shape(8)));
      CachedFeatures.writeText(text, generated ? "a long caption" : "a prompt", features, manager);
      store.putFile(layout.cachedText(id, generated), text);
    }
  }

  private TrainingItem only(String id) throws Exception {
    return new CachedTrainingData(store, layout, List.of(id), new IdentityCodec(), scratch).item(0);
  }

  @Test
  void everyStepDrawsMeanPlusStdTimesNoiseFromTheGivenGenerator() throws Exception {
    // given
    NDArray mean = manager.arange(12f).reshape(3, 2, 2);
    NDArray std = manager.full(new Shape(3, 2, 2), 0.5f);
    cache("a", new LatentPosterior(mean, std), new IdentityCodec().id());
    TrainingItem item = only("a");
    // when
    NDArray first = item.sampleLatents(manager, SeededRandom.seeded(5));
    NDArray again = item.sampleLatents(manager, SeededRandom.seeded(5));
    NDArray other = item.sampleLatents(manager, SeededRandom.seeded(6));
    // then
    NDArray expected = mean.add(std.mul(SeededRandom.seeded(5).gaussian(manager, new Shape(3, 2, 2))));
    assertThat(first.toFloatArray()).containsExactly(expected.toFloatArray());
    assertThat(again.toFloatArray()).containsExactly(first.toFloatArray());
    assertThat(other.toFloatArray()).isNotEqualTo(first.toFloatArray());
    assertThat(item.latents(manager).toFloatArray()).containsExactly(mean.toFloatArray());
  }

  @Test
  void aDeterministicPosteriorIsItsMeanAndDrawsNothing() throws Exception {
    // given
    NDArray mean = manager.arange(12f).reshape(3, 2, 2);
    cache("a", new LatentPosterior(mean, mean.zerosLike()), new IdentityCodec().id());
    SeededRandom random = SeededRandom.seeded(5);
    long before = random.state();
    // when
    NDArray z = only("a").sampleLatents(manager, random);
    // then
    assertThat(z.toFloatArray()).containsExactly(mean.toFloatArray());
    assertThat(random.state()).isEqualTo(before);
  }

  @Test
  void readsBothCaptionsAndTheirFeatures() throws Exception {
    // given
    cache("a", new LatentPosterior(manager.zeros(new Shape(3, 2, 2)), manager.zeros(new Shape(3, 2, 2))), new IdentityCodec().id());
    // when
    TrainingItem item = only("a");
    // then
    assertThat(item.prompt()).isEqualTo("a prompt");
    assertThat(item.generatedPrompt()).isEqualTo("a long caption");
    assertThat(item.textFeatures(false, manager).orElseThrow().sequence().toFloatArray()).containsOnly(1f);
    assertThat(item.textFeatures(true, manager).orElseThrow().sequence().toFloatArray()).containsOnly(2f);
  }

  @Test
  void aCacheOfTheFirstFormatIsRefusedWithWhatToDo() throws Exception {
    // given the first format's latents file: one "latents" tensor, no format version
    Path old = root.resolve("old");
    new SafeTensorsWriter().add("latents", manager.zeros(new Shape(3, 2, 2))).write(old);
    store.putFile(layout.cachedLatents("a"), old);
    // when / then
    assertThatThrownBy(() -> only("a")).hasMessageContaining("a_latents.safetensors is cached features of format 1")
        .hasMessageContaining("this build reads format 2").hasMessageContaining("launch again with --rerun");
  }

  @Test
  void latentsOfAnotherCodecAreRefused() throws Exception {
    // given
    cache("a", new LatentPosterior(manager.zeros(new Shape(3, 2, 2)), manager.zeros(new Shape(3, 2, 2))), "flux-vae:sha256:00");
    // when / then
    assertThatThrownBy(() -> only("a")).hasMessageContaining("encoded by codec 'flux-vae:sha256:00' but the base model's is 'identity-rgb'");
  }
}
