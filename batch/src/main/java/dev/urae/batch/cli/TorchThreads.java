package dev.urae.batch.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --threads N} of the demo's training commands (pretrain, study): PyTorch's intra-op
 * threads, one by default because on a shared 2-core machine two threads made a training step
 * about ten times slower (they spin waiting for each other).
 */
final class TorchThreads {
  @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
      description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}: on a shared or 2-core machine one thread per process is fastest).")
  int threads;

  /** Refuses a count below one, then starts the engine and sets its intra-op threads. */
  void apply(CommandSpec spec) {
    if (threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, was " + threads);
    Engine.getInstance();
    JniUtils.setNumThreads(threads);
  }
}
