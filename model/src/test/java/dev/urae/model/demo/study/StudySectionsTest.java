package dev.urae.model.demo.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.model.adapter.AdapterKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Each section's verdict on hand-made arm results: decided on the metric its claim is about, and saturated or missing metrics give no verdict. */
class StudySectionsTest {
  private static final BaseFacts BASE = new BaseFacts(128, true, 3.5, 32, 64, "sha256:test");
  private static final StudyPlan PLAN = new StudyPlan(StudySettings.quick(), BASE);

  /** Every arm the sections ask for, each scored by {@code score(arm, metric)} at every scoring point and at the native resolution. */
  private static ArmResults results(BiFunction<ArmSpec, StudyMetric, Double> score) {
    ArmResults done = new ArmResults();
    for (int round = 0; round < 3; round++) {
      for (StudySection section : sections()) {
        for (ArmSpec arm : section.arms(done)) {
          Map<String, Double> scores = new LinkedHashMap<>();
          for (StudyMetric m : StudyMetric.values()) scores.put(m.key(), score.apply(arm, m));
          done.put(arm, new ArmResult(arm.id(), BASE.weights(), 0, 0, 0, List.of(new ArmResult.ScorePoint(Math.max(arm.steps(), 0), scores)), scores));
        }
      }
    }
    return done;
  }

  private static List<StudySection> sections() {
    return List.of(new GuidelineOne(PLAN), new GuidelineTwo(PLAN), new GuidelineThree(PLAN), new ResolutionSection(PLAN));
  }

  /** A small seed-dependent spread, so that intervals have a width. */
  private static double wobble(ArmSpec arm) {
    return 0.01 * arm.seed();
  }

  @Test
  void guidelineTwoIsDecidedOnTextureNotPsnr() {
    // given minor components with more texture at 64 than LoRA, but a lower PSNR
    ArmResults done = results((arm, m) -> switch (m) {
      case TEXTURE_DETAIL -> (arm.kind() == AdapterKind.MINOR ? 0.5 : 0.2) + wobble(arm);
      case PSNR -> (arm.kind() == AdapterKind.MINOR ? 14.0 : 16.0) + wobble(arm);
      default -> 0.5 + wobble(arm);
    });
    // when
    Findings f = new GuidelineTwo(PLAN).findings(done);
    // then the high-resolution metric decides, and the report says so
    assertThat(f.verdict()).isEqualTo(Verdict.SUPPORTED);
    assertThat(f.decidedOn()).startsWith("texture detail at 64×64");
    assertThat(f.reason()).contains("in PSNR at 64: -2.00 ± 0.00 dB");
  }

  @Test
  void fidelityZeroOrOneEverywhereGivesNoVerdict() {
    for (double saturated : new double[] {0, 1}) {
      // given a base that draws no layout at all (fidelity 0 in every arm), or one that draws every layout (1)
      ArmResults done = results((arm, m) -> m == StudyMetric.FIDELITY ? saturated : 10 + wobble(arm) + arm.learningRate());
      // when
      List<Findings> findings = sections().stream().map(s -> s.findings(done)).toList();
      // then the sections decided on fidelity cannot tell the arms apart, and say why
      for (Findings f : List.of(findings.get(2), findings.get(3))) {
        assertThat(f.decidedOn()).startsWith("fidelity");
        assertThat(f.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(f.reason()).contains(String.format(java.util.Locale.ROOT, "fidelity is %.3f in every arm of both conditions", saturated));
      }
    }
  }

  @Test
  void missingTextureIsNotMeasurableRatherThanAVerdict() {
    // given held-out prompts without a textured object: texture detail is NaN everywhere
    ArmResults done = results((arm, m) -> m == StudyMetric.TEXTURE_DETAIL ? Double.NaN : 10 + wobble(arm));
    // when
    Findings f = new GuidelineOne(PLAN).findings(done);
    // then
    assertThat(f.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    assertThat(f.reason()).contains("texture detail is not measurable here");
    assertThat(f.tables().get(0).rows().get(0).get(2).display()).isEqualTo("not measurable");
  }
}
