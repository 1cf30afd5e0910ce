package dev.urae.tests.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.tests.support.AwsEmulator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code terraform/examples/emulator} against an AWS emulator, shared by the test classes of one
 * JVM: it is planned once ({@link #plan()}), and that saved plan is what {@link #apply()}
 * applies, so the policy tests and the apply test look at the same plan.
 *
 * <p>moto attaches AWS managed policies (AWSBatchServiceRole, AmazonEC2ContainerServiceforEC2Role)
 * only when started with {@code MOTO_IAM_LOAD_MANAGED_POLICIES=true}, so unless an external
 * emulator is configured, the example runs against a private moto started that way; it also keeps
 * the "nothing left behind" check free of other tests' resources.
 */
public final class EmulatorExample {
  static final String DIRECTORY = "examples/emulator";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmulatorExample shared;

  private final TerraformCli terraform;
  private final AwsEmulator emulator;
  private final Path dir;
  private JsonNode plan;
  private JsonNode outputs;
  private boolean destroyed;

  private EmulatorExample(TerraformCli terraform, AwsEmulator emulator, Path dir) {
    this.terraform = terraform;
    this.emulator = emulator;
    this.dir = dir;
  }

  public static synchronized EmulatorExample shared(TerraformCli terraform) {
    if (shared == null) {
      AwsEmulator emulator = emulatorForTerraform();
      Path dir = TerraformWorkspace.shared(terraform).initialised(DIRECTORY);
      shared = new EmulatorExample(terraform, emulator, dir);
    }
    return shared;
  }

  private static AwsEmulator emulatorForTerraform() {
    boolean external = System.getenv("LOCALSTACK_ENDPOINT") != null || System.getenv("AWS_ENDPOINT_URL") != null;
    if (external) return AwsEmulator.get();
    Optional<AwsEmulator> moto = AwsEmulator.startPrivateMoto(Map.of("MOTO_IAM_LOAD_MANAGED_POLICIES", "true"));
    moto.ifPresent(m -> Runtime.getRuntime().addShutdownHook(new Thread(m::close, "terraform-moto-stop")));
    return moto.orElseGet(AwsEmulator::get);
  }

  public AwsEmulator emulator() {
    return emulator;
  }

  /** {@code terraform show -json} of the saved plan of a fresh environment. */
  public synchronized JsonNode plan() {
    if (plan == null) {
      TerraformCli.Result planned = terraform.run(dir, environment(), "plan", "-out=tfplan", "-no-color",
          "-var", "endpoint_url=" + emulator.endpoint());
      TerraformCli.Result shown = terraform.run(dir, environment(), "show", "-json", "tfplan");
      System.out.printf("[terraform] plan %s: %d ms, show -json: %d ms%n",
          DIRECTORY, planned.elapsed().toMillis(), shown.elapsed().toMillis());
      plan = parse(shown.output());
    }
    return plan;
  }

  /** Applies the saved plan (once) and returns {@code terraform output -json}. */
  public synchronized JsonNode apply() {
    if (destroyed) throw new IllegalStateException("the emulator example was already destroyed");
    if (outputs == null) {
      plan();
      TerraformCli.Result applied = terraform.run(dir, environment(), "apply", "-no-color", "tfplan");
      System.out.printf("[terraform] apply %s against %s: %d ms%n",
          DIRECTORY, emulator.kind(), applied.elapsed().toMillis());
      outputs = parse(terraform.run(dir, environment(), "output", "-json").output());
    }
    return outputs;
  }

  /** Destroys what {@link #apply()} created. */
  public synchronized void destroy() {
    if (outputs == null || destroyed) return;
    // The state is fresh from the apply; refreshing would only cost another provider start.
    TerraformCli.Result result = terraform.run(dir, environment(), "destroy", "-auto-approve", "-refresh=false",
        "-no-color", "-var", "endpoint_url=" + emulator.endpoint());
    destroyed = true;
    System.out.printf("[terraform] destroy %s against %s: %d ms%n",
        DIRECTORY, emulator.kind(), result.elapsed().toMillis());
  }

  /** The value of one output of the applied example. */
  public String output(String name) {
    JsonNode value = apply().path(name).path("value");
    if (value.isMissingNode() || value.isNull()) throw new AssertionError("no Terraform output " + name);
    return value.isTextual() ? value.asText() : value.toString();
  }

  private Map<String, String> environment() {
    return new HashMap<>(emulator.environment());
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("Terraform printed no JSON:\n" + json, e);
    }
  }
}
