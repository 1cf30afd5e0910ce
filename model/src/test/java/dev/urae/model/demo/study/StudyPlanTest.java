package dev.urae.model.demo.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.model.adapter.AdapterKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StudyPlanTest {
  private static final BaseFacts DISTILLED = new BaseFacts(128, true, 3.5, 32, 64, "sha256:test");
  private static final BaseFacts UNDISTILLED = new BaseFacts(128, true, 1.0, 32, 64, "sha256:test");

  /** Every arm the sections ask for, feeding the sweep's results in as if it had run (the best rate is the last). */
  private static Map<String, ArmSpec> allArms(StudyPlan plan) {
    List<StudySection> sections = List.of(new GuidelineOne(plan), new GuidelineTwo(plan), new GuidelineThree(plan), new ResolutionSection(plan));
    ArmResults done = new ArmResults();
    Map<String, ArmSpec> arms = new LinkedHashMap<>();
    for (int round = 0; round < 3; round++) {
      for (StudySection s : sections) {
        for (ArmSpec arm : s.arms(done)) {
          arms.putIfAbsent(arm.id(), arm);
          double psnr = arm.learningRate() * 1000;
          done.put(arm, new ArmResult(arm.id(), "sha256:test", 0, 0, 0, List.of(new ArmResult.ScorePoint(arm.steps(), Map.of("psnr", psnr))), Map.of("psnr", psnr)));
        }
      }
    }
    return arms;
  }

  @Test
  void comparedArmsShareSampleCountsStepBudgetsAndScoring() {
    // given the full study's defaults on a guidance-distilled base
    StudyPlan plan = new StudyPlan(StudySettings.full(), DISTILLED);
    // when
    Map<String, ArmSpec> arms = allArms(plan);
    // then at least 3 seeds, and every adapted arm trains as long on as many scenes and is scored alike
    assertThat(plan.settings().seeds()).isGreaterThanOrEqualTo(3);
    List<ArmSpec> adapted = arms.values().stream().filter(ArmSpec::adapted).toList();
    assertThat(adapted).extracting(ArmSpec::steps).containsOnly(StudySettings.full().steps());
    assertThat(adapted).extracting(ArmSpec::scenes).containsOnly(StudySettings.full().scenes());
    assertThat(arms.values()).extracting(ArmSpec::evalImages).containsOnly(StudySettings.full().evalImages());
    assertThat(arms.values()).extracting(ArmSpec::evalGuidance).containsOnly(3.5);
    // guideline 2's kinds share the width-scaled rank (equal trainable parameters) and run at their best swept rate
    List<ArmSpec> g2 = adapted.stream().filter(a -> a.rank() == DISTILLED.fluxScaledRank() && a.seed() < plan.settings().seeds()).toList();
    assertThat(g2).extracting(ArmSpec::kind).contains(AdapterKind.LORA, AdapterKind.MINOR);
    assertThat(g2).extracting(ArmSpec::learningRate).containsOnly(3e-3);
    // guideline 3 trains at 1.0 and at 3.5
    assertThat(adapted).extracting(ArmSpec::trainGuidance).contains(1.0, 3.5);
  }

  @Test
  void guidelineThreeRunsNothingOnABaseThatIsNotDistilled() {
    StudyPlan plan = new StudyPlan(StudySettings.quick(), UNDISTILLED);
    assertThat(new GuidelineThree(plan).arms(new ArmResults())).isEmpty();
    assertThat(new GuidelineThree(plan).findings(new ArmResults()).verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
    assertThat(allArms(plan).values()).extracting(ArmSpec::trainGuidance).containsOnly(0.0, 1.0);
  }

  @Test
  void rankMatchesFluxRankPerWidth() {
    assertThat(new BaseFacts(3072, true, 3.5, 128, 256, "x").fluxScaledRank()).isEqualTo(16);
    assertThat(new BaseFacts(128, true, 3.5, 32, 64, "x").fluxScaledRank()).isEqualTo(1);
    assertThat(new BaseFacts(512, true, 3.5, 32, 64, "x").fluxScaledRank()).isEqualTo(3);
  }
}
