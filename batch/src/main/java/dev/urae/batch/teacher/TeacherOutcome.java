package dev.urae.batch.teacher;

import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one request of a batch: exactly one of an image, a refusal, or a failure.
 *
 * @param request the request
 * @param result  the teacher's answer (an image or a refusal), or null when it failed
 * @param failure why the teacher failed for this item, or null when it answered
 */
public record TeacherOutcome(TeacherRequest request, TeacherResult result, Exception failure) {

  /** The three ways an item can end. */
  public enum Kind { IMAGE, REFUSED, FAILED }

  public TeacherOutcome {
    Objects.requireNonNull(request, "request == null");
    if ((result == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of result and failure must be set");
    }
  }

  public static TeacherOutcome answered(TeacherRequest request, TeacherResult result) {
    return new TeacherOutcome(request, Objects.requireNonNull(result, "result == null"), null);
  }

  public static TeacherOutcome failed(TeacherRequest request, Exception failure) {
    return new TeacherOutcome(request, null, Objects.requireNonNull(failure, "failure == null"));
  }

  public Kind kind() {
    if (failure != null) return Kind.FAILED;
    return result instanceof TeacherImage ? Kind.IMAGE : Kind.REFUSED;
  }

  public String itemId() {
    return request.itemId();
  }

  public Optional<TeacherImage> image() {
    return result instanceof TeacherImage image ? Optional.of(image) : Optional.empty();
  }

  public Optional<Refusal> refusal() {
    return result instanceof Refusal refusal ? Optional.of(refusal) : Optional.empty();
  }
}
