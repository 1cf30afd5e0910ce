package dev.urae.model.svd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinorComponentDecomposerTest {
  private final NDManager manager = NDManager.newBaseManager();

  @AfterEach
  void close() {
    manager.close();
  }

  private static final KnownSpectrum A = new KnownSpectrum(8, 6, new double[] {6, 5, 4, 3, 2, 1}, 1);
  private static final KnownSpectrum B = new KnownSpectrum(6, 10, new double[] {9, 8, 7, 3, 2, 1}, 2);

  private NDArray weight(KnownSpectrum known) {
    return manager.create(known.matrix(), new Shape(known.rows, known.cols));
  }

  @Test
  void findsTheSmallestTripletsOfALayerOnItsDevice() {
    // given
    MinorComponentDecomposer decomposer = new MinorComponentDecomposer(DecompositionCache.none());

    // when
    SingularTriplets minor = decomposer.smallest("b", weight(B), 2);

    // then the two smallest singular values, in descending order, and the layer's shape
    assertThat(minor.rows()).isEqualTo(6);
    assertThat(minor.cols()).isEqualTo(10);
    assertThat(minor.s()[0]).isCloseTo(2f, within(1e-5f));
    assertThat(minor.s()[1]).isCloseTo(1f, within(1e-5f));
    assertThat(decomposer.decompositions()).isEqualTo(1);
  }

  @Test
  void aSecondRunOverTheSameWeightsDoesNoSvd(@TempDir Path folder) {
    // given a first run that filled a folder cache
    new MinorComponentDecomposer(new FolderDecompositionCache(folder)).smallest("a", weight(A), 2);

    // when a second decomposer (a new process, say) asks again
    MinorComponentDecomposer second = new MinorComponentDecomposer(new FolderDecompositionCache(folder));
    SingularTriplets minor = second.smallest("a", weight(A), 2);

    // then it came from the cache
    assertThat(second.decompositions()).isZero();
    assertThat(second.cacheHits()).isEqualTo(1);
    assertThat(minor.s()).hasSize(2);
  }

  @Test
  void theKeyOfAWeightOnTheDeviceIsTheKeyOfItsValues() {
    // given a cache filled under the key of the weight's float values (as the set-up computed it on the heap)
    InMemoryDecompositionCache cache = new InMemoryDecompositionCache();
    SingularTriplets expected = LapackSvd.decompose(A.matrix(), 8, 6).smallest(2);
    cache.put(DecompositionKey.of(A.matrix(), 8, 6, 2), expected);
    MinorComponentDecomposer decomposer = new MinorComponentDecomposer(cache);

    // when
    SingularTriplets minor = decomposer.smallest("a", weight(A), 2);

    // then
    assertThat(decomposer.cacheHits()).isEqualTo(1);
    assertThat(minor.s()).containsExactly(expected.s());
  }

  @Test
  void theRankIsPartOfTheKey() {
    // given
    InMemoryDecompositionCache cache = new InMemoryDecompositionCache();
    MinorComponentDecomposer decomposer = new MinorComponentDecomposer(cache);
    decomposer.smallest("a", weight(A), 2);

    // when
    decomposer.smallest("a", weight(A), 3);

    // then
    assertThat(cache.size()).isEqualTo(2);
    assertThat(decomposer.decompositions()).isEqualTo(2);
  }

  @Test
  void rejectsARankLargerThanTheMatrix() {
    MinorComponentDecomposer decomposer = new MinorComponentDecomposer(DecompositionCache.none());
    assertThatThrownBy(() -> decomposer.smallest("a", weight(A), 7)).hasMessageContaining("a: rank must be in 1..6");
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
