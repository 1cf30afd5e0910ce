package dev.urae.batch.stages.teacher;

import dev.urae.batch.job.PipelineStage;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.job.StageFailedException;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.ShardTasks;
import dev.urae.batch.task.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the teacher stage: one task per shard, each run by {@link TeacherHandler}. When every
 * task is done it says how many training items the teacher drew and refused, and why, and fails
 * the stage when it drew none (adapting would have nothing to learn from).
 */
public final class TeacherStage implements PipelineStage {
  private static final int REFUSALS_SHOWN = 3;

  @Override
  public String name() {
    return StageNames.TEACHER;
  }

  @Override
  public int order() {
    return 100;
  }

  @Override
  public List<TaskSpec> plan(RunContext run) {
    return ShardTasks.perShard(run, StageNames.TEACHER);
  }

  @Override
  public String conclude(RunContext run) throws IOException {
    int drawn = 0;
    List<TeacherTally.RefusedItem> refused = new ArrayList<>();
    List<String> tallies = new ArrayList<>();
    for (TaskSpec task : plan(run)) {
      String key = TeacherTally.key(run.layout(), task.taskId());
      TeacherTally tally = TeacherTally.read(run.store(), key);
      drawn += tally.drawn();
      refused.addAll(tally.refused());
      if (!tally.refused().isEmpty()) tallies.add(run.store().uri(key).toString());
    }
    int items = drawn + refused.size();
    if (items == 0) {
      throw new StageFailedException("the manifest has no training items (every item is tagged \"split\": \"render\"), so there is "
          + "nothing to adapt on: leave some items untagged");
    }
    if (refused.isEmpty()) return "drew " + drawn + " training item" + (drawn == 1 ? "" : "s");
    String why = refusals(refused) + "; every refusal is listed in " + String.join(", ", tallies);
    if (drawn == 0) {
      throw new StageFailedException("the teacher refused every training item (" + items + " of " + items + "), so there is nothing "
          + "to adapt on: " + why + ". Write the prompts so the teacher can draw them, or choose another teacher "
          + "(pipeline option teacher.kind: demo, http or dataset)");
    }
    return "drew " + drawn + " of " + items + " training items, refused " + refused.size() + ": " + why;
  }

  private static String refusals(List<TeacherTally.RefusedItem> refused) {
    StringBuilder text = new StringBuilder();
    for (TeacherTally.RefusedItem item : refused.subList(0, Math.min(REFUSALS_SHOWN, refused.size()))) {
      if (!text.isEmpty()) text.append("; ");
      text.append("line ").append(item.line()).append(" (").append(item.id()).append("): ").append(item.reason())
          .append(item.detail().isEmpty() ? "" : ", " + item.detail());
    }
    if (refused.size() > REFUSALS_SHOWN) text.append("; and ").append(refused.size() - REFUSALS_SHOWN).append(" more");
    return text.toString();
  }
}
