package dev.urae.batch.stages.teacher;

import dev.urae.batch.teacher.Refusal;
import dev.urae.batch.teacher.Teacher;
import dev.urae.batch.teacher.TeacherImage;
import dev.urae.batch.teacher.TeacherRequest;
import dev.urae.batch.teacher.TeacherResult;
import dev.urae.model.demo.DemoTeacher;
import dev.urae.model.demo.PromptParser;
import dev.urae.model.demo.SceneDescription;
import dev.urae.model.demo.TeacherSample;
import dev.urae.model.image.PngImages;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The demo teacher behind the {@link Teacher} port: the demo world's procedural renderer, the
 * stand-in for a strong closed model, with its error level δ. It draws the scene a prompt of the
 * demo grammar describes; any other prompt is refused for that item only.
 */
final class DemoWorldTeacher implements Teacher {
  private final DemoTeacher teacher;

  DemoWorldTeacher(double errorLevel) {
    if (errorLevel < 0 || errorLevel > 1) {
      throw new IllegalArgumentException("pipeline option teacher.error must be from 0 to 1, got " + errorLevel);
    }
    this.teacher = new DemoTeacher(errorLevel);
  }

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String fingerprint() {
    return "demo-teacher;error=" + teacher.errorLevel();
  }

  @Override
  public TeacherResult generate(TeacherRequest request) throws IOException {
    Optional<SceneDescription> scene = PromptParser.parse(request.prompt());
    if (scene.isEmpty()) {
      return new Refusal(request.itemId(), Refusal.UNSUPPORTED_REQUEST,
          "the demo teacher draws only prompts of the demo grammar, e.g. \"a large red striped circle at the top left on a white background\"");
    }
    if (request.width() != request.height()) {
      return new Refusal(request.itemId(), Refusal.UNSUPPORTED_REQUEST,
          "the demo teacher draws square images; got " + request.width() + "x" + request.height());
    }
    TeacherSample sample = teacher.sample(scene.get(), request.width(), request.seed());
    Map<String, String> text = new LinkedHashMap<>();
    text.put("prompt", request.prompt());
    text.put("seed", Long.toString(request.seed()));
    text.put("model", fingerprint());
    byte[] png = PngImages.encode(sample.image().toBufferedImage(), text);
    return new TeacherImage(request.itemId(), png, request.width(), request.height(), request.prompt(),
        sample.generatedPrompt(), "demo");
  }
}
