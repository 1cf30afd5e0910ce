package dev.urae.model.svd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinorComponentDecomposerTest {

  private static List<WeightMatrix> layers() {
    return List.of(
        new WeightMatrix("a", new KnownSpectrum(8, 6, new double[] {6, 5, 4, 3, 2, 1}, 1).matrix(), 8, 6),
        new WeightMatrix("b", new KnownSpectrum(6, 10, new double[] {9, 8, 7, 3, 2, 1}, 2).matrix(), 6, 10),
        new WeightMatrix("c", new KnownSpectrum(7, 7, new double[] {7, 6, 5, 4, 3, 2, 1}, 3).matrix(), 7, 7));
  }

  @Test
  void decomposesLayersInParallelInTheGivenOrder() {
    // given
    MinorComponentDecomposer decomposer = new MinorComponentDecomposer(DecompositionCache.none(), 2);

    // when
    Map<String, SingularTriplets> minor = decomposer.smallest(layers(), 2);

    // then
    assertThat(minor.keySet()).containsExactly("a", "b", "c");
    assertThat(minor.get("b").rows()).isEqualTo(6);
    assertThat(minor.get("b").cols()).isEqualTo(10);
    assertThat(minor.get("c").s()[1]).isCloseTo(1f, org.assertj.core.api.Assertions.within(1e-5f));
    assertThat(decomposer.decompositions()).isEqualTo(3);
  }

  @Test
  void aSecondRunOverTheSameWeightsDoesNoSvd(@TempDir Path folder) {
    // given a first run that filled a folder cache
    new MinorComponentDecomposer(new FolderDecompositionCache(folder), 2).smallest(layers(), 2);

    // when a second decomposer (a new process, say) asks again
    MinorComponentDecomposer second = new MinorComponentDecomposer(new FolderDecompositionCache(folder), 2);
    Map<String, SingularTriplets> minor = second.smallest(layers(), 2);

    // then everything came from the cache
    assertThat(second.decompositions()).isZero();
    assertThat(second.cacheHits()).isEqualTo(3);
    assertThat(minor.get("a").s()).hasSize(2);
  }

  @Test
  void theRankIsPartOfTheKey() {
    // given
    InMemoryDecompositionCache cache = new InMemoryDecompositionCache();
    MinorComponentDecomposer decomposer = new MinorComponentDecomposer(cache, 1);
    decomposer.smallest(layers(), 2);

    // when
    decomposer.smallest(layers(), 3);

    // then
    assertThat(cache.size()).isEqualTo(6);
    assertThat(decomposer.decompositions()).isEqualTo(6);
  }

  @Test
  void rejectsARankLargerThanTheMatrix() {
    MinorComponentDecomposer decomposer = new MinorComponentDecomposer(DecompositionCache.none(), 1);
    assertThatThrownBy(() -> decomposer.smallest(layers().get(0), 7))
        .hasMessageContaining("a: rank must be in 1..6");
  }

  @Test
  void tripletsSurviveTheirByteEncoding() {
    // given
    SingularTriplets triplets = new SingularTriplets(2, 3, new float[] {1, 2, 3, 4}, new float[] {5, 6},
        new float[] {7, 8, 9, 10, 11, 12});

    // when
    SingularTriplets back = SingularTriplets.fromBytes(triplets.toBytes());

    // then
    assertThat(back.u()).containsExactly(1, 2, 3, 4);
    assertThat(back.s()).containsExactly(5, 6);
    assertThat(back.vt()).containsExactly(7, 8, 9, 10, 11, 12);
    assertThatThrownBy(() -> SingularTriplets.fromBytes(new byte[20])).hasMessageContaining("not encoded");
  }
}
