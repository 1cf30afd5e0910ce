package dev.urae.batch.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AspectBucketsTest {

  @Test
  void bucketsAreMultiplesOf16NearTheTargetPixelCountWithinTheAspectLimit() {
    // given
    ImageSize target = new ImageSize(2048, 2048);
    // when
    AspectBuckets buckets = AspectBuckets.around(target, 64, 21.0 / 9.0);
    // then
    assertThat(buckets.sizes()).contains(target, new ImageSize(2688, 1568), new ImageSize(1568, 2688));
    assertThat(buckets.sizes()).allSatisfy(size -> {
      assertThat(size.width() % 16).isZero();
      assertThat(size.height() % 16).isZero();
      assertThat((double) size.pixels() / target.pixels()).isBetween(0.97, 1.03);
      assertThat(size.aspect()).isBetween(9.0 / 21.0 - 1e-9, 21.0 / 9.0 + 1e-9);
    });
  }

  @Test
  void theNearestBucketComparesAspectRatiosOnALogScale() {
    // given
    AspectBuckets buckets = AspectBuckets.around(new ImageSize(1024, 1024), 64, 21.0 / 9.0);
    // when / then: a square photo keeps the requested square, a 16:9 photo gets a wide bucket
    assertThat(buckets.nearest(3000, 3000)).isEqualTo(new ImageSize(1024, 1024));
    ImageSize wide = buckets.nearest(3840, 2160);
    assertThat(wide.aspect()).isCloseTo(16.0 / 9.0, org.assertj.core.data.Offset.offset(0.05));
    ImageSize tall = buckets.nearest(2160, 3840);
    assertThat(tall).isEqualTo(new ImageSize(wide.height(), wide.width()));
    // and an extreme panorama is clamped to the widest bucket
    assertThat(buckets.nearest(10000, 1000).aspect()).isLessThanOrEqualTo(21.0 / 9.0);
  }

  @Test
  void rejectsTargetsThatAreNotMultiplesOf16() {
    assertThatThrownBy(() -> AspectBuckets.around(new ImageSize(1000, 1000), 64, 2))
        .hasMessageContaining("multiples of 16");
  }
}
