package dev.urae.batch.launch;

import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.RemoteCheckpoint;
import dev.urae.infra.weights.WeightsListing;
import dev.urae.model.base.BaseModelProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run's base model as the launch checks read it. A preset or a local checkpoint is read where
 * it is. An {@code s3://} checkpoint is read from a temporary folder holding its configs and
 * safetensors headers ({@link RemoteCheckpoint#readForLaunch}), so the launch runs the same checks
 * on it as on a local folder (the provider's, {@link ModelFit}, the memory plan) instead of leaving
 * them to the first worker; messages name the {@code s3://} files, not the temporary folder.
 */
final class LaunchModel implements AutoCloseable {
  /** A launch check that may throw. */
  interface Check<T> {
    T run() throws IOException;
  }

  private final String reference;
  private final Path view;

  private LaunchModel(String reference, Path view) {
    this.reference = reference;
    this.view = view;
  }

  /**
   * @param reference the run's model option
   * @param weightsDigest the digest recorded for the run: an {@code s3://} checkpoint read since must still have it
   */
  static LaunchModel of(String reference, String weightsDigest) throws IOException {
    if (!RemoteCheckpoint.isRemote(reference)) return new LaunchModel(reference, null);
    RemoteCheckpoint checkpoint = RemoteCheckpoint.of(reference);
    Path root = Files.createTempDirectory("urae-launch-model-");
    // named like the prefix's last segment, as the memory plan names the model by its folder
    String last = checkpoint.toString().replaceFirst("/$", "");
    Path view = root.resolve(last.substring(last.lastIndexOf('/') + 1));
    LaunchModel model = new LaunchModel(reference, view);
    try {
      WeightsListing listing = checkpoint.readForLaunch(view);
      if (weightsDigest != null && !weightsDigest.equals(listing.digest())) {
        throw new IllegalStateException("the checkpoint under " + checkpoint + " changed while the run was launched (weights "
            + weightsDigest + ", now " + listing.digest() + "): launch again once the upload is complete");
      }
      return model;
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** What the model option names as this process reads it: the reference itself, or the temporary folder. */
  String readable() {
    return view == null ? reference : view.toString();
  }

  /** The run's options with the model as {@link #readable()}. */
  Map<String, String> readableOptions(Map<String, String> options) {
    Map<String, String> copy = new HashMap<>(options);
    copy.put(PipelineOptions.MODEL, readable());
    return copy;
  }

  /** The model's provider (all its checkpoint problems refused at once, naming the remote files). */
  BaseModelProvider provider() throws IOException {
    return check(() -> BaseModels.provider(readable()));
  }

  /** Runs {@code check}, its refusal naming the {@code s3://} files instead of their temporary copies. */
  <T> T check(Check<T> check) throws IOException {
    try {
      return check.run();
    } catch (IllegalArgumentException e) {
      if (view == null || e.getMessage() == null) throw e;
      String remote = RemoteCheckpoint.of(reference).toString().replaceFirst("/$", "");
      // without the cause: the CLI would print its message, which names the temporary folder
      throw new IllegalArgumentException(e.getMessage().replace(view.toString(), remote));
    }
  }

  /** Deletes the temporary folder. */
  @Override
  public void close() throws IOException {
    if (view == null) return;
    Path root = view.getParent();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
