package dev.urae.batch.stages.teacher;

import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.teacher.DatasetTeacher;
import dev.urae.batch.teacher.HttpTeacher;
import dev.urae.batch.teacher.HttpTeacherConfig;
import dev.urae.batch.teacher.Teacher;
import java.io.IOException;

/** Builds the teacher a run's options name ({@code teacher.kind}). */
final class Teachers {
  private Teachers() {}

  static Teacher create(StageParams params) throws IOException {
    String kind = params.text(PipelineOptions.TEACHER_KIND);
    return switch (kind) {
      case "demo" -> new DemoWorldTeacher(params.number(PipelineOptions.TEACHER_ERROR));
      case "http" -> new HttpTeacher(HttpTeacherConfig.fromOptions(params.all()));
      case "dataset" -> DatasetTeacher.fromOptions(params.all());
      default -> throw new IllegalArgumentException(
          "pipeline option teacher.kind must be demo, http or dataset, got '" + kind + "'");
    };
  }
}
