package dev.urae.tests.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.batch.cli.UraeCommand;
import dev.urae.tests.containers.Dockerfile.Instruction;
import dev.urae.tests.terraform.RepositoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Invariants of {@code containers/worker/Dockerfile} and {@code containers/orchestrator/Dockerfile}. */
class DockerfileInvariantsTest {
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(ACCESS_KEY|SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|CREDENTIAL).*");
  private static final Pattern AWS_KEY_ID = Pattern.compile("(AKIA|ASIA)[0-9A-Z]{16}");
  private static final Pattern PINNED_TAG = Pattern.compile("[^:@/]+(/[^:@/]+)*:([^:@]*\\d[^:@]*)(@sha256:[0-9a-f]{64})?");

  private static Dockerfile dockerfile(String image) {
    return Dockerfile.read(RepositoryLayout.containers().resolve(image).resolve("Dockerfile"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "orchestrator"})
  void everyBaseImageIsPinnedToAVersion(String image) {
    // given every image the build pulls: stage bases and COPY --from=<image>
    Dockerfile dockerfile = dockerfile(image);
    List<String> references = new ArrayList<>();
    dockerfile.stages().forEach(stage -> references.add(stage.base()));
    for (Instruction copy : dockerfile.instructions()) {
      Matcher from = Pattern.compile("--from=(\\S+)").matcher(copy.arguments());
      if (copy.keyword().equals("COPY") && from.find() && !dockerfile.isStageName(from.group(1))) {
        references.add(from.group(1));
      }
    }

    // then
    for (String reference : references) {
      if (dockerfile.isStageName(reference)) continue;
      Matcher pinned = PINNED_TAG.matcher(reference);
      assertThat(pinned.matches()).as("%s: %s has no explicit version tag", dockerfile.file(), reference).isTrue();
      assertThat(pinned.group(2)).as("%s: %s", dockerfile.file(), reference).isNotEqualToIgnoringCase("latest");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "orchestrator"})
  void imageRunsAsAnUnprivilegedUser(String image) {
    // given
    List<Instruction> users = dockerfile(image).finalStage().all("USER");

    // then
    assertThat(users).as("USER in the final stage of %s", image).isNotEmpty();
    String user = users.get(users.size() - 1).arguments().split(":")[0].trim();
    assertThat(user).isNotIn("root", "0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "orchestrator"})
  void imageCarriesNoSecrets(String image) throws Exception {
    // given
    Dockerfile dockerfile = dockerfile(image);

    // then no ENV or ARG names a credential, and no AWS key id appears anywhere
    for (Instruction instruction : dockerfile.instructions()) {
      if (instruction.keyword().equals("ENV") || instruction.keyword().equals("ARG")) {
        for (String name : declaredNames(instruction.arguments())) {
          assertThat(name).as("%s line %d declares %s", dockerfile.file(), instruction.line(), name)
              .doesNotMatch(SECRET_NAME);
        }
      }
    }
    assertThat(AWS_KEY_ID.matcher(Files.readString(dockerfile.file())).find()).as("AWS key id in " + image).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"worker, worker", "orchestrator, watch"})
  void defaultCommandIsAUraeCommandAndNothingWrapsIt(String image, String subcommand) throws Exception {
    // given
    Dockerfile dockerfile = dockerfile(image);
    List<Instruction> commands = dockerfile.finalStage().all("CMD");

    // then AWS Batch passes `urae ...` as the container command, so no ENTRYPOINT may prefix it
    assertThat(dockerfile.finalStage().all("ENTRYPOINT")).as("ENTRYPOINT in " + image).isEmpty();
    assertThat(commands).hasSize(1);
    List<String> command = List.of(new ObjectMapper().readValue(commands.get(0).arguments(), String[].class));
    assertThat(command).as("exec-form CMD of " + image).startsWith("urae", subcommand);
    assertThat(new CommandLine(new UraeCommand()).getSubcommands()).containsKey(subcommand);
  }

  @Test
  void workerImageSeesNoGpuUnlessOneIsReservedAndLeavesNativeMemoryRoom() {
    // given the worker's final stage
    Dockerfile dockerfile = dockerfile("worker");
    String base = dockerfile.finalStage().base();
    String environment = String.join("\n", dockerfile.finalStage().all("ENV").stream().map(Instruction::arguments).toList());

    // then the CUDA base does not duplicate the cuDNN/cuBLAS libtorch bundles
    assertThat(base).startsWith("nvidia/cuda:").contains("-base-").doesNotContain("cudnn");
    // and ECS alone hands out GPUs
    assertThat(environment).contains("NVIDIA_VISIBLE_DEVICES=void").doesNotContain("NVIDIA_VISIBLE_DEVICES=all");
    // and the Java heap leaves most of the container's memory to libtorch
    Matcher percentage = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(environment);
    assertThat(percentage.find()).as("MaxRAMPercentage in the worker's ENV").isTrue();
    assertThat(Integer.parseInt(percentage.group(1))).isLessThanOrEqualTo(50);
  }

  @Test
  void jobDefinitionCommandsAreCommandLinesTheImagesAccept() throws Exception {
    // given the commands of the Terraform job definitions, parameters filled in
    String batch = Files.readString(RepositoryLayout.terraform().resolve("modules/urae/batch.tf"));
    Matcher matcher = Pattern.compile("command\\s*=\\s*\\[([^\\]]*)\\]").matcher(batch);
    List<List<String>> commands = new ArrayList<>();
    while (matcher.find()) {
      List<String> words = new ArrayList<>();
      Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(matcher.group(1));
      while (word.find()) words.add(word.group(1).replace("Ref::manifest", "s3://b/urae/incoming/m.jsonl").replace("Ref::spec", "s3://b/urae/runs/r/t.json"));
      commands.add(words);
    }
    assertThat(commands).as("job definition commands in batch.tf").hasSizeGreaterThanOrEqualTo(3);

    // then each is `urae <subcommand> ...` and picocli accepts it
    for (List<String> command : commands) {
      assertThat(command.get(0)).as("%s", command).isEqualTo("urae");
      CommandLine.ParseResult parsed = new CommandLine(new UraeCommand()).parseArgs(command.subList(1, command.size()).toArray(String[]::new));
      assertThat(parsed.subcommand()).as("%s", command).isNotNull();
    }
  }

  @Test
  void workerImageHoldsTheCudaNativesOfTheProjectsDjlVersion() throws Exception {
    // given the versions the build pins
    String pom = Files.readString(RepositoryLayout.root().resolve("pom.xml"));
    String djl = property(pom, "djl.version");
    String pytorch = property(pom, "pytorch.version");
    Dockerfile worker = dockerfile("worker");
    String text = Files.readString(worker.file());

    // then the runtime is CUDA 12.8 (PyTorch 2.7.1's cu128 build), the natives are copied in at
    // build time, and DJL is pointed at them
    assertThat(worker.finalStage().base()).startsWith("nvidia/cuda:12.8.");
    Map<String, String> env = environment(worker.finalStage().all("ENV"));
    assertThat(env).containsEntry("PYTORCH_VERSION", pytorch).containsEntry("PYTORCH_FLAVOR", "cu128")
        .containsKey("PYTORCH_LIBRARY_PATH").containsKey("DJL_CACHE_DIR");
    assertThat(text).contains("pytorch-jni-" + pytorch + "-" + djl + ".jar")
        .contains(djl + "-libdjl_torch.so")
        .contains("COPY --from=natives /natives/ " + env.get("PYTORCH_LIBRARY_PATH"));
    assertThat(Files.readString(RepositoryLayout.containers().resolve("bin/urae"))).contains("-Dai.djl.offline=true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "orchestrator"})
  void buildContextAdmitsOnlyWhatTheImageCopies(String image) throws Exception {
    // given
    Dockerfile dockerfile = dockerfile(image);
    Path ignore = dockerfile.file().resolveSibling("Dockerfile.dockerignore");
    List<String> admitted = Files.readAllLines(ignore).stream()
        .map(String::trim).filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();

    // then everything copied from the context is admitted, and nothing else is
    assertThat(Files.readAllLines(ignore)).contains("*");
    List<String> copied = new ArrayList<>();
    for (Instruction copy : dockerfile.instructions()) {
      if (!copy.keyword().equals("COPY") || copy.arguments().contains("--from=")) continue;
      List<String> words = new ArrayList<>(List.of(copy.arguments().split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      copied.addAll(words.subList(0, words.size() - 1));
    }
    assertThat(admitted).containsExactlyInAnyOrderElementsOf(copied.stream().distinct().toList());
  }

  private static List<String> declaredNames(String arguments) {
    List<String> names = new ArrayList<>();
    Matcher matcher = Pattern.compile("(?:^|\\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\\s|$)").matcher(arguments.replaceAll("\"[^\"]*\"", "\"\""));
    while (matcher.find()) names.add(matcher.group(1));
    return names;
  }

  private static Map<String, String> environment(List<Instruction> envs) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    Matcher matcher = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher("");
    for (Instruction instruction : envs) {
      matcher.reset(instruction.arguments());
      while (matcher.find()) env.put(matcher.group(1), matcher.group(2).replace("\"", ""));
    }
    return env;
  }

  private static String property(String pom, String name) {
    Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
    if (!matcher.find()) throw new AssertionError("no <" + name + "> in pom.xml");
    return matcher.group(1).trim();
  }
}
