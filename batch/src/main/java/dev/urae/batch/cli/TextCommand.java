package dev.urae.batch.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.DeviceOption;
import dev.urae.model.text.FluxTextEncoder;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.text.UraeCachedFeatures;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae text encode}: a prompt through FLUX's two text encoders into URAE's cached-feature layout. */
@Command(
    name = "text",
    mixinStandardHelpOptions = true,
    description = "FLUX's text encoders (CLIP-L pooled vector, T5 sequence).",
    subcommands = {TextCommand.Encode.class})
public final class TextCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required (see urae text --help)");
  }

  /** Parses {@code --device} or says what is accepted. */
  static Device device(CommandSpec spec, String option) {
    try {
      return DeviceOption.parse(option);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--device: " + e.getMessage());
    }
  }

  /** Encodes one prompt and writes caption_feature_t5, caption_feature_clip and text_ids. */
  @Command(name = "encode", mixinStandardHelpOptions = true,
      description = {"Encode a prompt as the FLUX pipeline does (CLIP over 77 tokens, T5 over 512 tokens for dev, 256 for schnell;",
          "padded, no attention mask) and write URAE's cached features: caption_feature_t5 [L, 4096],",
          "caption_feature_clip [768] and FLUX's text_ids [L, 3]."})
  static final class Encode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "A diffusers FLUX folder (tokenizer/, text_encoder/, tokenizer_2/, text_encoder_2/).")
    Path model;

    @Option(names = "--prompt", required = true, description = "The prompt.")
    String prompt;

    @Option(names = "--out", required = true, description = "The .safetensors file to write.")
    Path out;

    @Option(names = "--t5-tokens", description = "T5 tokens per prompt (default: 256 when the transformer has no guidance embedder, as schnell; else 512).")
    Integer t5Tokens;

    @Option(names = "--device", description = "cpu, cuda or cuda:N (default: the first GPU, else cpu).")
    String device;

    @Override
    public Integer call() throws Exception {
      Device target = device(spec, device);
      if (t5Tokens != null && t5Tokens < 2) throw new ParameterException(spec.commandLine(), "--t5-tokens must be at least 2, got " + t5Tokens);
      Checkpoint checkpoint = Checkpoint.open(model);
      int length = t5Tokens != null ? t5Tokens : FluxTextEncoder.t5Length(checkpoint);
      PrintWriter log = spec.commandLine().getOut();
      long start = System.nanoTime();
      try (NDManager manager = NDManager.newBaseManager(target);
           FluxTextEncoder encoder = FluxTextEncoder.load(checkpoint, length, target, manager)) {
        long loaded = System.nanoTime();
        NDList batch = encoder.encodeBatch(List.of(prompt), manager);
        TextEmbedding embedding = new TextEmbedding(batch.get(0).squeeze(0), batch.get(1).squeeze(0));
        UraeCachedFeatures.write(out, embedding, FluxTextEncoder.textIds(length, manager),
            Map.of("prompt", prompt, "model", model.toString(), "t5_tokens", Integer.toString(length)));
        log.printf(Locale.ROOT, "%s: %s %s, %s %s, %s [%d, 3] (loaded in %.1f s, encoded in %.2f s)%n", out,
            UraeCachedFeatures.T5, embedding.sequence().getShape(), UraeCachedFeatures.CLIP, embedding.pooled().getShape(),
            UraeCachedFeatures.TEXT_IDS, length, (loaded - start) / 1e9, (System.nanoTime() - loaded) / 1e9);
      }
      log.flush();
      return 0;
    }
  }
}
