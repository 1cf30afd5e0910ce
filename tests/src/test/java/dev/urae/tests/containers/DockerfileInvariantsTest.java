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

    // then the base is PyTorch's runtime image, whose CUDA libraries libtorch loads (one copy each,
    // no CUDA toolkit), pinned by digest
    assertThat(base).startsWith("pytorch/pytorch:").contains("-runtime@sha256:").doesNotContain("devel");
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

    // then the runtime is PyTorch's own CUDA 12.8 image of that version (its cu128 build), the
    // build checks the wheel's version, and DJL is pointed at the wheel's libtorch and given the
    // JNI binding of its own version next to it
    assertThat(worker.finalStage().base()).startsWith("pytorch/pytorch:" + pytorch + "-cuda12.8-");
    Map<String, String> env = environment(worker.finalStage().all("ENV"));
    assertThat(env).containsEntry("PYTORCH_VERSION", pytorch).containsEntry("PYTORCH_FLAVOR", "cu128")
        .containsKey("DJL_CACHE_DIR");
    assertThat(env.get("PYTORCH_LIBRARY_PATH")).endsWith("/site-packages/torch/lib");
    assertThat(text).contains("torch.__version__ == \"" + pytorch + "+cu128\"")
        .contains("pytorch-jni-" + pytorch + "-" + djl + ".jar")
        .contains("${PYTORCH_LIBRARY_PATH}/" + djl + "-libdjl_torch.so");
    assertThat(Files.readString(RepositoryLayout.containers().resolve("bin/urae"))).contains("-Dai.djl.offline=true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "orchestrator"})
  void everyDownloadIsCheckedAgainstItsSha256(String image) {
    assertThat(uncheckedDownloads(dockerfile(image))).as("downloads without a SHA-256 check in " + image).isEmpty();
  }

  @Test
  void aDownloadWithoutAChecksumIsFoundAndOneCheckedInItsRunInstructionIsNot(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // given a Dockerfile with one checked and two unchecked downloads
    Path file = Files.writeString(dir.resolve("Dockerfile"), String.join("\n",
        "FROM ubuntu:22.04",
        "RUN curl -fsSL https://example.org/a.tgz -o a.tgz \\",
        " && echo \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  a.tgz\" | sha256sum -c -",
        "RUN wget -q https://example.org/b.so",
        "ADD https://example.org/c.so /opt/c.so",
        "ADD --checksum=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef https://example.org/d.so /opt/d.so",
        ""));

    // when
    List<Instruction> unchecked = uncheckedDownloads(Dockerfile.read(file));

    // then
    assertThat(unchecked).extracting(Instruction::line).containsExactly(4, 5);
  }

  @Test
  void theWorkersNativesComeFromAnImagePinnedByDigestAndNothingNativeIsFetchedDuringTheBuild() throws Exception {
    // given
    Dockerfile worker = dockerfile("worker");

    // then libtorch and the CUDA libraries are the content of one digest
    assertThat(worker.finalStage().base()).matches("pytorch/pytorch:[^@]+@sha256:[0-9a-f]{64}");
    // and no RUN fetches anything (a checked download would still be a second source of natives)
    for (Instruction run : worker.instructions()) {
      if (run.keyword().equals("RUN") || run.keyword().equals("ADD")) {
        assertThat(run.arguments()).as("%s line %d", worker.file(), run.line()).doesNotContainPattern("(?i)\\b(curl|wget)\\b|https?://");
      }
    }
  }

  /**
   * RUN instructions that fetch with curl or wget without a {@code sha256sum -c} in the same
   * instruction, and ADDs of a URL without {@code --checksum=sha256:}.
   */
  private static List<Instruction> uncheckedDownloads(Dockerfile dockerfile) {
    List<Instruction> unchecked = new ArrayList<>();
    for (Instruction instruction : dockerfile.instructions()) {
      String arguments = instruction.arguments();
      boolean fetches = switch (instruction.keyword()) {
        case "RUN" -> Pattern.compile("\\b(curl|wget)\\b").matcher(arguments).find();
        case "ADD" -> Pattern.compile("(^|\\s)https?://").matcher(arguments).find();
        default -> false;
      };
      boolean checked = instruction.keyword().equals("ADD")
          ? arguments.matches("(?s).*--checksum=sha256:[0-9a-f]{64}.*")
          : Pattern.compile("sha256sum\\s+(-c|--check)").matcher(arguments).find();
      if (fetches && !checked) unchecked.add(instruction);
    }
    return unchecked;
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
