package dev.urae.batch.cli;

import picocli.CommandLine;

/** Entry point of the {@code urae} launcher and of the worker container. */
public final class UraeMain {
  private UraeMain() {}

  public static void main(String[] args) {
    // DJL must never download native libraries: the PyTorch jar on the class path ships them.
    if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code; tests call this without exiting. */
  public static int execute(String... args) {
    return newCommandLine().execute(args);
  }

  static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new UraeCommand());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(new UserErrorHandler());
    CommandLine run = commandLine.getSubcommands().get("run");
    if (run != null) {
      java.util.List<String> footer = new java.util.ArrayList<>(java.util.List.of(run.getCommandSpec().usageMessage().footer()));
      footer.add("");
      footer.add("Pipeline options (urae.pipeline.NAME in a --config file, or --set NAME=VALUE), with defaults:");
      dev.urae.batch.stages.PipelineOptions.DEFAULTS.forEach((name, option) ->
          footer.add(String.format("  %-30s %-9s %s", name, option.defaultValue(), option.description())));
      footer.add("  teacher.http.*, teacher.dataset.*  see README (HTTP and dataset teachers)");
      footer.add("");
      footer.add("Recipes (--recipe NAME): defaults over the ones above; --quick, --set, flags and config override them,");
      footer.add("and the report lists every setting that deviated from the recipe:");
      for (dev.urae.batch.stages.Recipe recipe : dev.urae.batch.stages.Recipe.values()) footer.addAll(recipe.helpLines());
      run.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    }
    return commandLine;
  }
}
