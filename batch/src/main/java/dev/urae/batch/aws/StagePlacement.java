package dev.urae.batch.aws;

import dev.urae.batch.run.StageNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which job queue each stage's jobs go to, checked when the AWS Batch executor starts: every
 * GPU stage ({@code urae.gpu-stages}: cache, adapt, render) names its own queue and job
 * definition (falling back to the default ones would put the base model on the CPU queue), and
 * no CPU-only stage (teacher, report) shares a queue with a GPU stage, where it would hold a GPU
 * instance while drawing, calling an API or writing HTML. An empty {@code urae.gpu-stages}
 * switches the check off (one queue for everything).
 */
final class StagePlacement {
  private static final List<String> STAGES = List.of(StageNames.TEACHER, StageNames.CACHE, StageNames.ADAPT,
      StageNames.RENDER, StageNames.REPORT);
  private static final String DEFAULT = "default";

  private StagePlacement() {}

  /**
   * @throws IllegalStateException listing every misplaced stage and the setting to change
   */
  static void check(Map<String, String> jobQueues, Map<String, String> jobDefinitions, List<String> gpuStages) {
    List<String> problems = new ArrayList<>();
    Map<String, String> gpuQueues = new LinkedHashMap<>();
    for (String stage : gpuStages) {
      String queue = jobQueues.get(stage);
      if (blank(queue)) problems.add("the " + stage + " stage loads the base model but " + setting("job-queue", stage)
          + " is not set: its jobs would go to the default (CPU) queue; set it to the GPU queue");
      else gpuQueues.putIfAbsent(queue, stage);
      if (blank(jobDefinitions.get(stage))) problems.add(setting("job-definition", stage)
          + " is not set: the " + stage + " stage needs a GPU job definition of its own");
    }
    for (String stage : STAGES) {
      if (gpuStages.contains(stage)) continue;
      String queue = blank(jobQueues.get(stage)) ? jobQueues.get(DEFAULT) : jobQueues.get(stage);
      if (queue != null && gpuQueues.containsKey(queue)) {
        problems.add("the " + stage + " stage is CPU-only but would go to " + queue + ", the GPU queue of the "
            + gpuQueues.get(queue) + " stage: set " + setting("job-queue", stage) + " (or the default) to a CPU queue");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("AWS Batch stage placement (urae.gpu-stages = " + gpuStages + "): "
          + String.join("; ", problems));
    }
  }

  private static String setting(String kind, String stage) {
    return "urae.aws.batch." + kind + "." + stage + " (URAE_AWS_BATCH_" + kind.replace("-", "").toUpperCase(Locale.ROOT)
        + "_" + stage.toUpperCase(Locale.ROOT) + ")";
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
