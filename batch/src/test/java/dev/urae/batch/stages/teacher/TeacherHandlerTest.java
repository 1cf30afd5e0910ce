package dev.urae.batch.stages.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.json.Json;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.model.image.PngImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeacherHandlerTest {
  private static final String SCENE = "a large red striped circle at the top left on a white background";
  @TempDir Path root;

  private TaskSpec spec(FileObjectStore store, String runId, Map<String, String> options) throws Exception {
    String shard = "runs/" + runId + "/input/shard-00000.jsonl";
    store.put(shard, ("""
        {"line":1,"id":"ok","prompt":"%s","seed":7,"width":64,"height":64}
        {"line":2,"id":"cat","prompt":"a photo of a cat","seed":8,"width":64,"height":64}
        {"line":3,"id":"held","prompt":"%s","seed":9,"width":64,"height":64,"tags":{"split":"render"}}
        """.formatted(SCENE, SCENE)).getBytes(StandardCharsets.UTF_8));
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    options.forEach(params::put);
    return new TaskSpec(runId, "teacher", "shard-00000", store.root(), List.of(shard), params);
  }

  @Test
  void writesUraeLayoutRecordsRefusalsAndSkipsHeldOutItems() throws Exception {
    // given
    FileObjectStore store = new FileObjectStore(root);
    TaskContext context = new TaskContext(store);
    // when
    new TeacherHandler().run(spec(store, "r1", Map.of()), context);
    // then
    JsonNode caption = Json.MAPPER.readTree(store.get("runs/r1/teacher/ok.json"));
    assertThat(caption.path("prompt").asText()).isEqualTo(SCENE);
    assertThat(caption.path("generated_prompt").asText()).contains("large red circle").isNotEqualTo(SCENE);
    assertThat(PngImages.decode(store.get("runs/r1/teacher/ok.png").readAllBytes()).image().getWidth()).isEqualTo(64);
    TeacherTally tally = TeacherTally.read(store, "runs/r1/teacher/shard-00000.tally.json");
    assertThat(tally.drawn()).isEqualTo(1);
    assertThat(tally.refused()).singleElement().satisfies(refused -> {
      assertThat(refused.id()).isEqualTo("cat");
      assertThat(refused.line()).isEqualTo(2);
      assertThat(refused.reason()).isEqualTo("unsupported-request");
      assertThat(refused.detail()).contains("\"photo\", \"of\", \"cat\" are outside the demo grammar", "docs/demo-grammar.md");
    });
    assertThat(store.exists("runs/r1/teacher/held.png")).isFalse();
    assertThat(context.outputs()).extracting(ObjectInfo::key).contains("runs/r1/teacher/ok.png", "runs/r1/teacher/ok.json");
  }

  @Test
  void sameTeacherSettingsReuseTheCacheAndOtherSettingsDoNot() throws Exception {
    // given
    FileObjectStore store = new FileObjectStore(root);
    new TeacherHandler().run(spec(store, "r1", Map.of()), new TaskContext(store));
    int cached = store.list("cache/teacher/").size();
    byte[] first = store.get("runs/r1/teacher/ok.png").readAllBytes();
    // when
    new TeacherHandler().run(spec(store, "r2", Map.of()), new TaskContext(store));
    new TeacherHandler().run(spec(store, "r3", Map.of("teacher.error", "0.5")), new TaskContext(store));
    // then
    assertThat(store.get("runs/r2/teacher/ok.png").readAllBytes()).isEqualTo(first);
    assertThat(store.list("cache/teacher/")).hasSize(cached * 2);
  }

  @Test
  void badTeacherSettingsFailNamingTheOption() throws Exception {
    FileObjectStore store = new FileObjectStore(root);
    assertThatThrownBy(() -> new TeacherHandler().run(spec(store, "r1", Map.of("teacher.kind", "oracle")), new TaskContext(store)))
        .hasMessageContaining("teacher.kind must be demo, http or dataset, got 'oracle'");
  }
}
