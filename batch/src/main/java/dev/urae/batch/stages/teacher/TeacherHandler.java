package dev.urae.batch.stages.teacher;

import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.StageTask;
import dev.urae.batch.stages.TeacherItem;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.batch.teacher.Refusal;
import dev.urae.batch.teacher.Teacher;
import dev.urae.batch.teacher.TeacherImage;
import dev.urae.batch.teacher.TeacherOutcome;
import dev.urae.batch.teacher.TeacherProgress;
import dev.urae.batch.teacher.TeacherRequest;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Worker code of the teacher stage: the shard's training items become {@code teacher/<id>.png}
 * and {@code teacher/<id>.json} (URAE's layout: prompt and generated_prompt). Answers are kept
 * in a content-addressed cache keyed by the teacher's settings and the request, so re-running a
 * manifest with the same teacher regenerates nothing. What the task drew and refused (with the
 * teacher's reasons) goes to its {@link TeacherTally}; a refusal never fails the shard (the stage
 * decides, over all shards); a failure fails it after every other item is done and cached, so a
 * retry or a resume only asks again for what is missing.
 */
public final class TeacherHandler implements TaskHandler {

  @Override
  public String stage() {
    return StageNames.TEACHER;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    StageTask task = StageTask.of(spec, context);
    List<ManifestItem> items = ItemSplit.training(task.store(), spec.inputs().get(0));
    List<TeacherRequest> missing = new ArrayList<>();
    int drawn = 0;
    try (Teacher teacher = Teachers.create(task.params())) {
      for (ManifestItem item : items) {
        TeacherRequest request = new TeacherRequest(item.id(), item.prompt(), item.seed(), item.width(), item.height());
        String cached = cacheKey(teacher, request);
        if (task.store().exists(cached + ".png") && task.store().exists(cached + ".json")) {
          copy(task.store(), cached + ".png", task.layout().teacherImage(item.id()), context);
          copy(task.store(), cached + ".json", task.layout().teacherCaption(item.id()), context);
          drawn++;
        } else {
          missing.add(request);
        }
      }
      List<TeacherOutcome> outcomes = teacher.generateAll(missing, task.params().integer(PipelineOptions.TEACHER_PARALLELISM),
          TeacherProgress.NONE);
      List<TeacherTally.RefusedItem> refused = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (TeacherOutcome outcome : outcomes) {
        ManifestItem item = items.stream().filter(i -> i.id().equals(outcome.itemId())).findFirst().orElseThrow();
        switch (outcome.kind()) {
          case IMAGE -> {
            TeacherImage image = outcome.image().orElseThrow();
            byte[] caption = caption(item, image);
            String cached = cacheKey(teacher, outcome.request());
            task.store().put(cached + ".png", image.png());
            task.store().put(cached + ".json", caption);
            context.put(task.layout().teacherImage(item.id()), image.png());
            context.put(task.layout().teacherCaption(item.id()), caption);
            drawn++;
          }
          case REFUSED -> {
            Refusal refusal = (Refusal) outcome.result();
            refused.add(new TeacherTally.RefusedItem(item.id(), item.line(), refusal.reason(), refusal.detail()));
          }
          case FAILED -> failures.add(item.id() + " (line " + item.line() + "): " + outcome.failure().getMessage());
        }
      }
      context.put(TeacherTally.key(task.layout(), spec.taskId()), new TeacherTally(spec.taskId(), drawn, refused).toJson());
      if (!failures.isEmpty()) {
        throw new IllegalStateException(failures.size() + " of " + items.size() + " items failed: "
            + String.join("; ", failures.subList(0, Math.min(3, failures.size())))
            + (failures.size() > 3 ? "; ..." : ""));
      }
    }
  }

  private static byte[] caption(ManifestItem item, TeacherImage image) throws IOException {
    String generated = image.captionIfAny().orElse(item.generatedPrompt() != null ? item.generatedPrompt() : item.prompt());
    return new TeacherItem(item.prompt(), generated, item.seed(), image.width(), image.height(), image.source()).toJson();
  }

  private static void copy(ObjectStore store, String from, String to, TaskContext context) throws IOException {
    try (var in = store.get(from)) {
      context.put(to, in);
    }
  }

  /** {@code cache/teacher/<sha256 of the teacher's fingerprint and the request>}. */
  static String cacheKey(Teacher teacher, TeacherRequest request) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String identity = teacher.fingerprint() + "\n" + request.prompt() + "\n" + request.seed() + "\n"
          + request.width() + "x" + request.height() + "\n" + request.outputFormat();
      return "cache/teacher/" + HexFormat.of().formatHex(sha.digest(identity.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
