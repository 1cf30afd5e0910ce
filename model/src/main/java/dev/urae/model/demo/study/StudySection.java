package dev.urae.model.demo.study;

import java.util.List;

/** One section of the study: the arms it needs and what it finds in their results. */
public interface StudySection {
  /**
   * The arms this section needs, given what has finished: a section whose later arms depend on
   * earlier results (a learning-rate sweep) asks for them once those results are in.
   */
  List<ArmSpec> arms(ArmResults done);

  /** The findings, once every arm {@link #arms} asks for has finished. */
  Findings findings(ArmResults done);
}
