package dev.urae.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A reduced study (one seed, one step per arm, one held-out prompt) on the shipped demo base:
 * checks the structure of what it writes and that it resumes per arm, not its verdicts.
 */
class DemoStudyCommandTest {
  @TempDir Path out;

  @Test
  void writesOneSectionPerClaimAndResumesPerArm() throws Exception {
    // given
    String[] reduced = {"demo", "study", "--quick", "--seeds", "1", "--steps", "1", "--images", "1", "--out", out.toString()};

    // when
    int code = UraeMain.execute(reduced);

    // then every claim has a section with a verdict, and the tables have their rows
    assertThat(code).isZero();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("schema").asText()).isEqualTo("urae-study/2");
    List<String> ids = new ArrayList<>();
    for (JsonNode section : summary.get("sections")) {
      ids.add(section.get("id").asText());
      assertThat(section.get("verdict").asText()).isIn("supported", "not_supported", "inconclusive", "not_applicable");
      assertThat(section.get("claim").asText()).isNotBlank();
      assertThat(section.get("decidedOn").asText()).isNotBlank();
      if (!section.get("verdict").asText().equals("not_applicable")) {
        assertThat(section.get("plots")).isNotEmpty();
        assertThat(section.get("tables")).allSatisfy(t -> assertThat(t.get("rows")).isNotEmpty());
      }
    }
    assertThat(ids).containsExactly("theorem-1", "guideline-1", "guideline-2", "guideline-3", "resolution");
    // one seed: every measured interval of the model's arms is unknown, so nothing looks significant
    JsonNode g1 = summary.get("sections").get(1);
    assertThat(g1.get("verdict").asText()).isEqualTo("inconclusive");
    assertThat(g1.get("tables").get(0).get("rows").get(0).get(1).get("ci95").isNull()).isTrue();
    String page = Files.readString(out.resolve("index.html"));
    for (String id : ids) assertThat(page).contains("<section id=\"" + id + "\">");
    assertThat(page).contains("<svg class=\"study\"");
    int arms = summary.get("armsRun").asInt();
    assertThat(arms).isGreaterThan(5);
    assertThat(armFiles()).hasSize(arms);

    // when one finished arm is lost (an interrupted study) and the command runs again
    Files.delete(armFiles().get(0));
    assertThat(UraeMain.execute(reduced)).isZero();

    // then only that arm runs again
    JsonNode resumed = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(resumed.get("armsRun").asInt()).isEqualTo(1);
    assertThat(resumed.get("armsReused").asInt()).isEqualTo(arms - 1);
  }

  @Test
  void refusesAModelFolderWithoutBothWeightFiles() throws Exception {
    // given a folder with the transformer's weights but not the text encoder's
    Path model = Files.createDirectories(out.resolve("half-a-model"));
    Files.writeString(model.resolve("demo-transformer.safetensors"), "");
    StringWriter err = new StringWriter();
    CommandLine cli = UraeMain.newCommandLine();
    cli.setErr(new PrintWriter(err));

    // when
    int code = cli.execute("demo", "study", "--quick", "--model", model.toString(), "--out", out.resolve("study").toString());

    // then it stops before any work, naming the option, the folder and the missing file
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--model " + model + ": missing demo-text-encoder.safetensors");
    assertThat(out.resolve("study")).doesNotExist();
  }

  @Test
  void refusesZeroSeeds() {
    assertThat(UraeMain.execute("demo", "study", "--seeds", "0", "--out", out.toString())).isEqualTo(2);
  }

  private List<Path> armFiles() throws Exception {
    try (Stream<Path> files = Files.list(out.resolve("arms"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
