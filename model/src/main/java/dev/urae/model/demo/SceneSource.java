package dev.urae.model.demo;

/**
 * Where training images of demo scenes come from: the {@link DemoTeacher} (clean, biased by its
 * error level δ) or the {@link DemoPhotographer} (unbiased, noisy given its caption).
 */
public interface SceneSource {
  /** One training example of {@code scene} at {@code size}; {@code seed} fixes its randomness. */
  TeacherSample sample(SceneDescription scene, int size, long seed);
}
