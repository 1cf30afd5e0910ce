package dev.urae.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.model.flux.FluxPresets;
import dev.urae.model.pipeline.FluxCheckpointInit;
import dev.urae.model.tensors.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code urae run --model}: what the base model cannot be or cannot take is refused at launch, before a run id is printed. */
class RunModelOptionTest {
  @TempDir Path dir;

  @Test
  void aModelPathToNothingIsRefusedNamingTheOption() throws IOException {
    // when
    Result result = run("--model", dir.resolve("nowhere").toString());

    // then
    assertThat(result.exit()).isNotZero();
    assertThat(result.err()).contains("pipeline option model '" + dir.resolve("nowhere") + "'").contains("no such file or folder");
    assertThat(result.out()).doesNotContain("run ");
  }

  @Test
  void aCheckpointWithoutItsVaeAndTextEncoderIsRefusedListingBoth() throws IOException {
    // given
    Path model = tiny(true);
    for (String component : new String[] {"vae", "text_encoder"}) {
      delete(model.resolve(component));
    }

    // when
    Result result = run("--model", model.toString());

    // then
    assertThat(result.exit()).isNotZero();
    assertThat(result.err()).contains(model.resolve("vae").toString()).contains(model.resolve("text_encoder").toString()).contains("2 problems");
    assertThat(result.out()).doesNotContain("run ");
  }

  @Test
  void aGuidanceOptionForASchnellLikeModelIsRefused() throws IOException {
    // given a transformer without a guidance embedder
    Path model = tiny(false);

    // when
    Result result = run("--model", model.toString(), "--render-guidance", "3.5");

    // then
    assertThat(result.exit()).isNotZero();
    assertThat(result.err()).contains("render.guidance (--render-guidance) is 3.5").contains("no guidance embedder");
    assertThat(result.out()).doesNotContain("run ");
  }

  private Path tiny(boolean guidance) throws IOException {
    Path model = dir.resolve(guidance ? "tiny" : "tiny-schnell");
    new FluxCheckpointInit(model, FluxCheckpointInit.Weights.ZEROS, 0, DType.BF16, Long.MAX_VALUE)
        .write(FluxPresets.TINY.toBuilder().optGuidanceEmbeds(guidance).build());
    return model;
  }

  private Result run(String... options) throws IOException {
    Path manifest = Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\":\"a red circle\",\"width\":64,\"height\":64}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = UraeMain.newCommandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] args = Stream.concat(Stream.of("run", manifest.toString(), "--data-dir", dir.resolve("data").toString()), Stream.of(options))
        .toArray(String[]::new);
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private record Result(int exit, String out, String err) {}

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
