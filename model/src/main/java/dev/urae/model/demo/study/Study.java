package dev.urae.model.demo.study;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the study: Theorem 1's toy, then every arm the sections ask for (each finished arm saved
 * at once, arms already in the store skipped, so an interrupted study continues where it
 * stopped), then each section's findings. Arms shared by sections (the base, the standard
 * recipe) run once.
 */
public final class Study {
  /** The outcome: the settings, the base it ran on, one findings per section, and the wall time. */
  public record Result(StudySettings settings, BaseFacts base, List<Findings> findings, int armsRun, int armsReused, double seconds) {}

  private final StudyPlan plan;
  private final List<StudySection> sections;
  private final ArmRunner runner;
  private final ArmStore store;
  private final PrintStream progress;

  public Study(StudyPlan plan, ArmRunner runner, ArmStore store, PrintStream progress) {
    this.plan = plan;
    this.sections = List.of(new GuidelineOne(plan), new GuidelineTwo(plan), new GuidelineThree(plan), new ResolutionSection(plan));
    this.runner = runner;
    this.store = store;
    this.progress = progress;
  }

  /** Theorem 1's seeds: the toy is exact and cheap, so it always uses at least 20. */
  static int toySeeds(StudySettings settings) {
    return Math.max(20, settings.seeds());
  }

  public Result run() throws IOException {
    long start = System.nanoTime();
    progress.println("theorem 1: linear toy, " + toySeeds(plan.settings()) + " seeds");
    List<Findings> findings = new ArrayList<>();
    findings.add(new TheoremOneSection(new TheoremOneToy(TheoremOneToy.Setup.standard()), toySeeds(plan.settings())).findings());
    ArmResults done = new ArmResults();
    int run = 0;
    int reused = 0;
    // Sections may ask for more arms once earlier ones are in (guideline 2's sweep), so plan until nothing is missing.
    while (true) {
      Map<String, ArmSpec> wanted = new LinkedHashMap<>();
      for (StudySection section : sections) for (ArmSpec arm : section.arms(done)) wanted.putIfAbsent(arm.id(), arm);
      List<ArmSpec> missing = wanted.values().stream().filter(a -> !done.has(a)).toList();
      if (missing.isEmpty()) break;
      for (ArmSpec arm : missing) {
        Optional<ArmResult> stored = store.find(arm, plan.facts().weights());
        if (stored.isPresent()) {
          done.put(arm, stored.get());
          reused++;
          continue;
        }
        int position = run + reused + 1;
        progress.printf(Locale.ROOT, "arm %d (of %d known so far): %s ...%n", position, wanted.size(), arm.id());
        ArmResult result = runner.run(arm);
        store.save(arm, result);
        done.put(arm, result);
        run++;
        progress.printf(Locale.ROOT, "arm %d done in %.1f s: at step %d %s %.2f, %s %.3f, %s %.3f%n", position, result.seconds(),
            result.curve().get(result.curve().size() - 1).step(), StudyMetric.PSNR.label(), result.finalScore(StudyMetric.PSNR),
            StudyMetric.TEXTURE_DETAIL.label(), result.finalScore(StudyMetric.TEXTURE_DETAIL), StudyMetric.FIDELITY.label(), result.finalScore(StudyMetric.FIDELITY));
      }
    }
    if (reused > 0) progress.println(reused + " arm(s) reused from " + store.folder() + " (an earlier, interrupted or identical study)");
    for (StudySection section : sections) findings.add(section.findings(done));
    return new Result(plan.settings(), plan.facts(), findings, run, reused, (System.nanoTime() - start) / 1e9);
  }
}
