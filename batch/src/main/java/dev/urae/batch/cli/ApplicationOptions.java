package dev.urae.batch.cli;

import dev.urae.batch.UraeApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that use the job repository, and the one way they start the
 * Spring application. Only options the user gave are passed on, so {@code application.yml} and
 * the environment ({@code URAE_*}) still apply in Spring Boot's order, with the CLI on top.
 */
public class ApplicationOptions {
  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Folder for the object store and job repository (default: $URAE_DATA_DIR or ./urae-data).")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A run configuration file (YAML or properties) with urae.* settings; CLI flags override it.")
  Path config;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Spring profile to activate, e.g. aws (S3 store, AWS Batch executor).")
  String profile;

  private final Map<String, Object> properties = new LinkedHashMap<>();

  /** Sets a {@code urae.*} property when the user gave a value. */
  public ApplicationOptions set(String name, Object value) {
    if (value != null) properties.put(name, value);
    return this;
  }

  public ConfigurableApplicationContext start() {
    Map<String, Object> all = new LinkedHashMap<>();
    Path dir = dataDir;
    if (dir == null && System.getenv("URAE_DATA_DIR") != null) dir = Path.of(System.getenv("URAE_DATA_DIR"));
    // H2 needs an absolute (or ./-relative) path; resolve it once here.
    if (dir != null) all.put("urae.data-dir", dir.toAbsolutePath().normalize().toString());
    all.putAll(properties);
    List<String> args = new ArrayList<>();
    all.forEach((name, value) -> args.add("--" + name + "=" + value));
    if (config != null) {
      if (!java.nio.file.Files.isReadable(config)) {
        throw new IllegalArgumentException("--config " + config + ": no such readable file");
      }
      args.add("--spring.config.additional-location=file:" + config.toAbsolutePath());
    }
    if (profile != null) args.add("--spring.profiles.active=" + profile);
    SpringApplication application = new SpringApplication(UraeApplication.class);
    application.setLogStartupInfo(false);
    return application.run(args.toArray(String[]::new));
  }
}
