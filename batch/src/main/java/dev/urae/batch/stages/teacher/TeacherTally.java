package dev.urae.batch.stages.teacher;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.urae.batch.json.Json;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.StageNames;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What one teacher task made of its shard's training items: how many it drew (fresh or from the
 * teacher cache) and which it refused, why. {@link TeacherHandler} writes it as
 * {@code teacher/<task>.tally.json}; {@link TeacherStage} reads every task's to tell the user
 * and to fail the stage when nothing was drawn.
 */
record TeacherTally(String task, int drawn, List<RefusedItem> refused) {

  /** An item the teacher declined: its manifest id and line, the reason in a word, and the teacher's words. */
  record RefusedItem(String id, long line, String reason, String detail) {}

  TeacherTally {
    refused = List.copyOf(refused);
  }

  static String key(RunLayout layout, String task) {
    return layout.stageOutput(StageNames.TEACHER) + task + ".tally.json";
  }

  byte[] toJson() throws JsonProcessingException {
    return Json.MAPPER.writeValueAsBytes(this);
  }

  static TeacherTally read(ObjectStore store, String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return Json.MAPPER.readValue(in, TeacherTally.class);
    } catch (JsonProcessingException e) {
      throw new IOException("teacher tally " + store.uri(key) + " is not valid: " + e.getOriginalMessage(), e);
    }
  }
}
