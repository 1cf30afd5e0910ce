package dev.urae.model.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.urae.model.tensors.SafeTensorsFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code urae demo pretrain --from-teacher}: the distillation alone, from a teacher an earlier run wrote. */
class DistillFromTeacherTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir Path dir;

  @Test
  void theStudentIsWrittenWithTheTeachersPretrainingRecordBesideItsOwn() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given a teacher folder as pretraining leaves it
      Path teacherFolder = dir.resolve("run").resolve(DemoPretrainer.TEACHER_FOLDER);
      try (DemoBaseModel teacher = DemoBaseModel.initial(5, manager)) {
        teacher.save(teacherFolder, Map.of("produced_by", "urae demo pretrain", "steps", "6000"));
      }

      // when two distillation steps run from it
      DemoPretrainer.Result result = DemoPretrainer.distillAndSave(teacherFolder, new DemoDistiller.Settings(2, 1, 5e-4, 2, 11), dir.resolve("out"),
          manager, QUIET);
      result.model().close();

      // then the student carries both records, and the teacher is left as it was
      assertThat(DemoBaseModel.missingFiles(dir.resolve("out"))).isEmpty();
      try (SafeTensorsFile student = SafeTensorsFile.open(dir.resolve("out").resolve(DemoBaseModel.TRANSFORMER_FILE))) {
        assertThat(student.metadata()).containsEntry("steps", "6000").containsEntry("distill_steps", "2");
      }
      assertThat(result.losses()).hasSize(2);
      assertThat(DemoBaseModel.weightsDigest(dir.resolve("out"))).isNotEqualTo(DemoBaseModel.weightsDigest(teacherFolder));
    }
  }

  @Test
  void aFolderWithoutATeacherIsRefusedSayingWhatWritesOne() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(() -> DemoPretrainer.distillAndSave(dir, DemoDistiller.Settings.standard(), dir.resolve("out"), manager, QUIET))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no demo teacher in " + dir)
          .hasMessageContaining(DemoBaseModel.TRANSFORMER_FILE)
          .hasMessageContaining("urae demo pretrain --out DIR");
    }
  }
}
