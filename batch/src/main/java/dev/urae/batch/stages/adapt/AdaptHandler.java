package dev.urae.batch.stages.adapt;

import ai.djl.ndarray.NDManager;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.batch.stages.StageMemoryCheck;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.stages.StageTask;
import dev.urae.batch.stages.TrainingHistory;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterChain;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.adapter.DiffusersLora;
import dev.urae.model.base.BaseModel;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.AttentionSettings;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.train.AdapterTrainer;
import dev.urae.model.train.OptimizerKind;
import dev.urae.model.train.TrainingConfig;
import dev.urae.model.train.TrainingResult;
import dev.urae.model.train.TrainingStop;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Worker code of the adapt stage: one training task over the cached features. The adapter is
 * trained with the guidance input fixed (URAE: 1.0), checkpoints go to the store every K steps,
 * and a retried or resumed task continues from the latest one. On SIGTERM (a Spot reclaim's
 * warning) the trainer writes a checkpoint before the process exits. Outputs:
 * {@code adapt/adapter.safetensors} (diffusers LoRA keys) and {@code adapt/history.json}. With
 * {@code adapt.from-adapter} (URAE's 4K stage) the run's copy of that LoRA is fused into the base
 * first, and the export applies to the original base ({@link AdapterChain}).
 */
public final class AdaptHandler implements TaskHandler {
  static final String TASK = "train";

  @Override
  public String stage() {
    return StageNames.ADAPT;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    StageTask task = StageTask.of(spec, context);
    String cache = task.layout().stageOutput(StageNames.CACHE);
    List<String> itemIds = task.store().list(cache).stream().map(ObjectInfo::key)
        .map(task.layout()::itemOfCachedLatents).flatMap(Optional::stream).toList();
    if (itemIds.isEmpty()) {
      throw new IllegalStateException("no cached training items under " + task.store().uri(cache)
          + ": every teacher item was refused or the cache stage wrote nothing");
    }
    StageMemoryCheck.requireForTraining(StageNames.ADAPT, task);
    AdapterKind kind = AdapterKind.parse(task.params().text(PipelineOptions.ADAPT_KIND));
    long seed = task.params().integer(PipelineOptions.ADAPT_SEED);
    OptimizerKind optimizer = OptimizerKind.parse(task.params().text(PipelineOptions.ADAPT_OPTIMIZER));
    try (NDManager manager = NDManager.newBaseManager(context.device());
        BaseModel base = BaseModels.load(task.params(), manager);
        ScratchFiles scratch = new ScratchFiles()) {
      TrainingConfig config = TrainingConfig.builder()
          .setSteps(task.params().integer(PipelineOptions.ADAPT_STEPS))
          .optOptimizer(optimizer)
          .optLearningRate(task.params().text(PipelineOptions.ADAPT_LEARNING_RATE).equals("auto")
              ? optimizer.defaultLearningRate() : task.params().number(PipelineOptions.ADAPT_LEARNING_RATE))
          .optGuidance(task.params().number(PipelineOptions.ADAPT_GUIDANCE))
          .optRealPromptRatio(task.params().number(PipelineOptions.ADAPT_REAL_PROMPT_RATIO))
          .optCheckpointEvery(task.params().integer(PipelineOptions.ADAPT_CHECKPOINT_EVERY))
          .optSeed(seed)
          .optActivationCheckpointingAbove(checkpointingAbove(task.params(), base))
          .build();
      CachedTrainingData data = new CachedTrainingData(task.store(), task.layout(), itemIds, base.latentCodec(), scratch);
      base.transformer().setPrecision(task.params().precision(PipelineOptions.ADAPT_PRECISION, base.transformer().device().isGpu()));
      base.transformer().setAttentionSettings(AttentionSettings.DEFAULT.withNtkFactor(task.params().number(PipelineOptions.ADAPT_NTK_FACTOR))
          .withProportionalAttention(task.params().flag(PipelineOptions.ADAPT_PROPORTIONAL_ATTENTION), base.trainSequenceLength())
          .withPositionInterpolation(task.params().flag(PipelineOptions.ADAPT_POSITION_INTERPOLATION, base.interpolatesPositions()), base.nativeImageTokens()));
      AdapterSpec adapterSpec = AdapterSpec.urae(kind, task.params().integer(PipelineOptions.ADAPT_RANK));
      MinorComponentDecomposer decomposer = new MinorComponentDecomposer(new StoreDecompositionCache(task.store()));
      // URAE's 2K -> 4K chain: the 2K LoRA fused into the base, minor components of the fused weights
      AdapterChain chain = task.params().text(PipelineOptions.ADAPT_FROM_ADAPTER).strip().equals("none") ? null
          : AdapterChain.fuseThenDecompose(scratch.fetch(task.store(), task.layout().priorAdapter()), base.transformer().linears(),
              adapterSpec, decomposer);
      Adapter adapter = chain != null ? chain.trained()
          : kind == AdapterKind.LORA ? Adapter.initLora(base.transformer().linears(), adapterSpec, SeededRandom.seeded(seed))
          : Adapter.initMinor(base.transformer().linears(), adapterSpec, decomposer);
      TrainingStop stop = new TrainingStop();
      Thread hook = stop.installShutdownHook(120);
      TrainingResult result;
      try {
        int total = config.steps();
        result = new AdapterTrainer(config)
            .onStep(step -> {
              if (step % 25 == 0 || step == total) System.err.printf("[adapt] step %d/%d%n", step, total);
            })
            .train(base.transformer(), adapter, base.textEncoder(), data,
                new StoreCheckpointStore(task.store(), task.layout().checkpoints()), stop);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for the checkpoint the trainer just wrote
        }
      }
      if (result.stopped()) {
        throw new IllegalStateException("training was stopped at step " + result.step()
            + " (a checkpoint was written; a retry or resume continues from it)");
      }
      Path exported = scratch.path("adapter.safetensors");
      if (chain != null) chain.export(exported); // applies to the original base, as the render stage attaches it
      else DiffusersLora.export(adapter, exported);
      context.putFile(task.layout().adapter(), exported);
      context.put(task.layout().trainingHistory(), new TrainingHistory(result.step(), result.resumedFrom(), result.seconds(),
          result.stepsPerSecond(), itemIds.size(), adapter.spec().toString(), adapter.parameterCount(), result.losses(),
          result.learningRates()).toJson());
    }
  }

  /** adapt.activation-checkpointing as the trainer's threshold in image tokens (auto: above the base model's native resolution). */
  private static int checkpointingAbove(StageParams params, BaseModel base) {
    String value = params.text(PipelineOptions.ADAPT_ACTIVATION_CHECKPOINTING).strip();
    return switch (value) {
      case "auto" -> base.nativeImageTokens();
      case "true" -> 0;
      case "false" -> Integer.MAX_VALUE;
      default -> throw new IllegalArgumentException("pipeline option " + PipelineOptions.ADAPT_ACTIVATION_CHECKPOINTING
          + " must be auto, true or false, got '" + value + "'");
    };
  }
}
