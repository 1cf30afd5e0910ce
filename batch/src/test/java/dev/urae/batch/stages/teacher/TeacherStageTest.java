package dev.urae.batch.stages.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.batch.job.RunContext;
import dev.urae.batch.job.StageFailedException;
import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.FileObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the teacher stage tells the user once its tasks are done, and when it fails the run. */
class TeacherStageTest {
  private static final String SCENE = "a large red striped circle at the top left on a white background";
  @TempDir Path root;

  /** Runs the teacher stage's tasks (one shard) on {@code lines} and returns the run. */
  private RunContext taught(String... lines) throws Exception {
    FileObjectStore store = new FileObjectStore(root);
    RunLayout layout = new RunLayout("r1");
    store.put(layout.shardKey("shard-00000"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    RunContext run = new RunContext("r1", layout, store, RunConfig.builder().set("shard-size", 2).set("max-rejects", 0).set("width", 32).set("height", 32).build(), List.of("shard-00000"), lines.length, List.of());
    for (TaskSpec task : new TeacherStage().plan(run)) new TeacherHandler().run(task, new TaskContext(store));
    return run;
  }

  @Test
  void aStageThatDrewEveryItemSaysHowMany() throws Exception {
    // given
    RunContext run = taught("""
        {"line":1,"id":"a","prompt":"%s","seed":1,"width":32,"height":32}""".formatted(SCENE), """
        {"line":2,"id":"b","prompt":"%s","seed":2,"width":32,"height":32}""".formatted(SCENE));

    // when / then
    assertThat(new TeacherStage().conclude(run)).isEqualTo("drew 2 training items");
  }

  @Test
  void someRefusalsAreCountedWithTheirReasons() throws Exception {
    // given
    RunContext run = taught("""
        {"line":1,"id":"a","prompt":"%s","seed":1,"width":32,"height":32}""".formatted(SCENE), """
        {"line":2,"id":"fox","prompt":"a red fox in snow","seed":2,"width":32,"height":32}""");

    // when
    String conclusion = new TeacherStage().conclude(run);

    // then
    assertThat(conclusion).startsWith("drew 1 of 2 training items, refused 1: line 2 (fox): unsupported-request")
        .contains("\"fox\", \"in\", \"snow\" are outside the demo grammar", "docs/demo-grammar.md", "shard-00000.tally.json");
  }

  @Test
  void aStageWhoseEveryItemWasRefusedFailsSayingWhatToDo() throws Exception {
    // given
    RunContext run = taught("""
        {"line":1,"id":"fox","prompt":"a red fox in snow","seed":2,"width":32,"height":32}""");

    // when / then
    assertThatThrownBy(() -> new TeacherStage().conclude(run)).isInstanceOf(StageFailedException.class)
        .hasMessageContaining("the teacher refused every training item (1 of 1), so there is nothing to adapt on")
        .hasMessageContaining("\"fox\", \"in\", \"snow\" are outside the demo grammar")
        .hasMessageContaining("docs/demo-grammar.md")
        .hasMessageContaining("or choose another teacher (pipeline option teacher.kind");
  }
}
