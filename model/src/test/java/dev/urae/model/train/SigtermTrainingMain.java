package dev.urae.model.train;

import java.nio.file.Path;

/**
 * A worker-like process for {@link SigtermCheckpointTest}: trains the tiny world with a
 * shutdown hook installed, printing each step, until SIGTERM arrives.
 */
public final class SigtermTrainingMain {
  private SigtermTrainingMain() {}

  public static void main(String[] args) {
    Path folder = Path.of(args[0]);
    TrainingStop stop = new TrainingStop();
    stop.installShutdownHook(60);
    try (TinyWorld world = new TinyWorld()) {
      TrainingConfig config = TrainingConfig.builder().setSteps(1_000_000).optCheckpointEvery(1_000_000).optSeed(1).build();
      new AdapterTrainer(config).onStep(step -> System.out.println("step " + step))
          .train(world.model, world.lora(), world.encoder, TinyWorld.data(), new FolderCheckpointStore(folder), stop);
    }
    System.out.println("stopped");
  }
}
