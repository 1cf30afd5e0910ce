package dev.urae.batch.teacher;

/** A teacher's answer for one item: an image, or a refusal to produce one. */
public sealed interface TeacherResult permits TeacherImage, Refusal {

  /** The item this answer is for. */
  String itemId();
}
