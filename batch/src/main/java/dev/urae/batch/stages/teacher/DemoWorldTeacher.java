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
public final class DemoWorldTeacher implements Teacher {
  /** Where the demo grammar is described for users, relative to the repository root. */
  public static final String GRAMMAR_DOC = PromptParser.GRAMMAR_DOC;
  private final DemoTeacher teacher;

  DemoWorldTeacher(double errorLevel) {
    if (errorLevel < 0 || errorLevel > 1) {
      throw new IllegalArgumentException("pipeline option teacher.error must be from 0 to 1, got " + errorLevel);
    }
    this.teacher = new DemoTeacher(errorLevel);
  }

  /**
   * Why the demo teacher would refuse to draw {@code prompt} at this size, or empty when it
   * would draw it ({@code urae validate} asks before a run).
   */
  public static Optional<String> refusal(String prompt, int width, int height) {
    Optional<String> outside = PromptParser.outsideGrammar(prompt);
    if (outside.isPresent()) {
      return Optional.of(outside.get() + "; the demo teacher draws only prompts of the demo grammar (" + GRAMMAR_DOC
          + "), e.g. \"a large red striped circle at the top left on a white background\"");
    }
    if (width != height) return Optional.of("the demo teacher draws square images; got " + width + "x" + height);
    return Optional.empty();
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
    Optional<String> refusal = refusal(request.prompt(), request.width(), request.height());
    if (refusal.isPresent()) return new Refusal(request.itemId(), Refusal.UNSUPPORTED_REQUEST, refusal.get());
    SceneDescription scene = PromptParser.parse(request.prompt()).orElseThrow();
    TeacherSample sample = teacher.sample(scene, request.width(), request.seed());
    Map<String, String> text = new LinkedHashMap<>();
    text.put("prompt", request.prompt());
    text.put("seed", Long.toString(request.seed()));
    text.put("model", fingerprint());
    byte[] png = PngImages.encode(sample.image().toBufferedImage(), text);
    return new TeacherImage(request.itemId(), png, request.width(), request.height(), request.prompt(),
        sample.generatedPrompt(), "demo");
  }
}
