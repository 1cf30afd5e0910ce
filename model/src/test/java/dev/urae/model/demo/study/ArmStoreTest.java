package dev.urae.model.demo.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.model.adapter.AdapterKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArmStoreTest {
  @TempDir Path folder;
  private final ArmSpec arm = new ArmSpec(2, AdapterKind.LORA, 16, 1e-3, 1, 0.5, 0.1, 32, 16, 8, 2, 3.5);
  private final ArmResult result = new ArmResult(arm.id(), "sha256:a", 3584, 12.5, 0.3,
      List.of(new ArmResult.ScorePoint(8, Map.of("psnr", 12.0)), new ArmResult.ScorePoint(16, Map.of("psnr", 13.0))), Map.of("psnr", 15.0));

  @Test
  void aSavedArmIsFoundForTheSameBaseWeightsOnly() throws IOException {
    // given
    ArmStore store = new ArmStore(folder);
    // when
    store.save(arm, result);
    // then
    assertThat(store.find(arm, "sha256:a")).contains(result);
    assertThat(store.find(arm, "sha256:b")).isEmpty();
    assertThat(store.find(arm.withSeed(3), "sha256:a")).isEmpty();
    assertThat(store.find(arm, "sha256:a").orElseThrow().finalScore(StudyMetric.PSNR)).isEqualTo(13.0);
  }

  @Test
  void aDamagedFileIsNamedWithWhatToDo() throws IOException {
    ArmStore store = new ArmStore(folder);
    Files.writeString(folder.resolve(arm.id() + ".json"), "{\"id\": ");
    assertThatThrownBy(() -> store.find(arm, "sha256:a")).hasMessageContaining(arm.id() + ".json").hasMessageContaining("delete it");
  }

  @Test
  void idsNameEverySetting() {
    assertThat(arm.id()).isEqualTo("lora-r16-lr0.001-tg1-p0.5-d0.1-n32-t16-every8-e2-g3.5-s2");
    assertThat(ArmSpec.base(0, 2, 3.5).id()).isEqualTo("base-e2-g3.5-s0");
  }
}
