package dev.urae.model.train;

/** A finite, indexable set of training items (random access, so sampling can be seeded). */
public interface TrainingData {
  int size();

  TrainingItem item(int index);
}
