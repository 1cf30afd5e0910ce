package dev.urae.batch.stages;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.urae.batch.json.Json;
import java.io.IOException;
import java.io.InputStream;

/**
 * One synthetic training item's caption file, in URAE's layout ({@code teacher/<id>.json}, beside
 * {@code <id>.png}): written by the teacher stage ({@link #toJson}) and read by the cache stage
 * ({@link #read}).
 *
 * @param generatedPrompt the caption training uses (URAE's {@code generated_prompt})
 * @param teacher         which teacher answered, e.g. {@code demo} or {@code http:<task id>}
 */
public record TeacherItem(String prompt, @JsonProperty("generated_prompt") String generatedPrompt, long seed,
    int width, int height, String teacher) {

  public byte[] toJson() throws IOException {
    return Json.MAPPER.writeValueAsBytes(this);
  }

  public static TeacherItem read(InputStream in) throws IOException {
    return Json.MAPPER.readValue(in, TeacherItem.class);
  }
}
