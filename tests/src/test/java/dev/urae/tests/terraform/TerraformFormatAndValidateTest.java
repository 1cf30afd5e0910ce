package dev.urae.tests.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code terraform fmt} and {@code terraform validate} over the module and both examples. */
class TerraformFormatAndValidateTest {
  private static TerraformCli terraform;

  @BeforeAll
  static void findTerraform() {
    terraform = TerraformCli.find().orElse(null);
    if (terraform == null) System.out.println("[terraform] terraform is not on the PATH: Terraform checks skipped");
    assumeTrue(terraform != null, "terraform is not on the PATH: Terraform checks skipped");
  }

  @Test
  void everyFileIsFormatted() {
    // given a copy of terraform/ without local .terraform folders
    TerraformWorkspace workspace = TerraformWorkspace.shared(terraform);

    // when
    TerraformCli.Result result =
        terraform.runAllowingFailure(workspace.root(), Map.of(), "fmt", "-check", "-recursive", "-diff", "-no-color");

    // then
    assertThat(result.exitCode())
        .as("terraform fmt -check -recursive found unformatted files (run `terraform fmt -recursive terraform`):%n%s%s",
            result.output(), result.errors())
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"modules/urae", "examples/complete", "examples/emulator"})
  void configurationIsValid(String configuration) throws Exception {
    // given the configuration initialised from the provider mirror
    var dir = TerraformWorkspace.shared(terraform).initialised(configuration);

    // when
    TerraformCli.Result result = terraform.runAllowingFailure(dir, Map.of(), "validate", "-json", "-no-color");
    System.out.printf("[terraform] validate %s: %d ms%n", configuration, result.elapsed().toMillis());

    // then
    JsonNode report = new ObjectMapper().readTree(result.output());
    assertThat(report.path("valid").asBoolean())
        .as("terraform validate of %s:%n%s", configuration, report.path("diagnostics").toPrettyString())
        .isTrue();
    assertThat(report.path("warning_count").asInt())
        .as("warnings of terraform validate of %s:%n%s", configuration, report.path("diagnostics").toPrettyString())
        .isZero();
  }
}
