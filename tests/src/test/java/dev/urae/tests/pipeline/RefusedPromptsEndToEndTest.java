package dev.urae.tests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prompt the demo teacher cannot draw, on the embedded default, through the CLI as a separate process. */
class RefusedPromptsEndToEndTest {
  @TempDir Path work;

  @Test
  void aManifestTheDemoTeacherRefusesEntirelyFailsAtTheTeacherStageAtOnceSayingWhatToDo() throws Exception {
    // given
    Path manifest = Files.writeString(work.resolve("fox.jsonl"), "{\"prompt\":\"a red fox in snow\"}\n");

    // when
    UraeCli.Result result = new UraeCli(work, Map.of(), List.of()).run(Duration.ofMinutes(10), "run", manifest.toString(),
        "--data-dir", work.resolve("data").toString());

    // then it stops at the teacher stage, after one attempt, naming the words, the grammar and the way out
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderr()).contains("[teacher] FAILED: 1/1 tasks").doesNotContain("[cache]", "[adapt]");
    assertThat(result.stderr()).contains("failed at stage teacher: the teacher refused every training item (1 of 1)",
            "line 1", "the words \"fox\", \"in\", \"snow\" are outside the demo grammar", "docs/demo-grammar.md",
            "choose another teacher (pipeline option teacher.kind")
        .doesNotContain("attempts", "urae resume");
  }
}
