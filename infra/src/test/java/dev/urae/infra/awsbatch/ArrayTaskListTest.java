package dev.urae.infra.awsbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.infra.store.FileObjectStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrayTaskListTest {
  @TempDir Path dir;

  @Test
  void eachChildReadsTheLineOfItsArrayIndex() throws Exception {
    // given
    FileObjectStore store = new FileObjectStore(dir);
    List<URI> specs = List.of(store.uri("runs/r/tasks/t/shard-00000.json"), store.uri("runs/r/tasks/t/shard-00001.json"),
        store.uri("runs/r/tasks/t/shard-00002.json"));
    URI list = ArrayTaskList.write(store, "runs/r/batch/t/urae-r-t-1.tasks", specs);

    // when
    URI second = ArrayTaskList.specFromEnvironment(Map.of("URAE_TASK_LIST", list.toString(), "AWS_BATCH_JOB_ARRAY_INDEX", "1"));
    URI single = ArrayTaskList.specFromEnvironment(Map.of("URAE_TASK_SPEC", specs.get(2).toString()));

    // then
    assertThat(second).isEqualTo(specs.get(1));
    assertThat(single).isEqualTo(specs.get(2));
    assertThatThrownBy(() -> ArrayTaskList.pick(list, 3)).hasMessageContaining("has only 3 lines; array index 3 has no task");
    assertThatThrownBy(() -> ArrayTaskList.specFromEnvironment(Map.of())).hasMessageContaining("URAE_TASK_LIST");
  }
}
