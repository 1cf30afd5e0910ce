package dev.urae.batch.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.run.RunLayout.TaskFile;
import dev.urae.batch.run.RunLayout.TaskFileKey;
import org.junit.jupiter.api.Test;

class RunLayoutTest {
  private final RunLayout layout = new RunLayout("run-1");

  @Test
  void everyTaskFileItBuildsReadsBackAsItsKindAndTask() {
    // given
    String stage = StageNames.TEACHER;

    // when / then
    for (TaskFile kind : TaskFile.values()) {
      String key = layout.taskFile(stage, "shard-00003", kind);
      assertThat(layout.taskFile(stage, key)).contains(new TaskFileKey(kind, "shard-00003"));
    }
  }

  @Test
  void anErrorOrFailureRecordIsNeverTakenForASpec() {
    // when / then
    assertThat(layout.taskFile("cache", layout.taskError("cache", "t")).orElseThrow().kind()).isEqualTo(TaskFile.ERROR);
    assertThat(layout.taskFile("cache", layout.taskPermanentFailure("cache", "t")).orElseThrow().kind())
        .isEqualTo(TaskFile.PERMANENT_FAILURE);
  }

  @Test
  void keysOutsideTheStagesTaskFolderAreNotTaskFiles() {
    // when / then
    assertThat(layout.taskFile("cache", layout.taskSpec("render", "t"))).isEmpty();
    assertThat(layout.taskFile("cache", layout.tasks("cache") + "nested/t.json")).isEmpty();
    assertThat(layout.taskFile("cache", layout.tasks("cache") + ".json")).isEmpty();
  }

  @Test
  void reportKeysLiveInTheReportFolder() {
    // when / then
    assertThat(layout.reportPage()).isEqualTo("runs/run-1/report/index.html");
    assertThat(layout.relative(layout.truthImage("a"))).isEqualTo("report/truth/a.png");
  }
}
