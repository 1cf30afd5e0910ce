package dev.urae.batch.cli;

import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.LineVerdict;
import dev.urae.batch.manifest.ManifestScanner;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.batch.manifest.ValidationSummary;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code urae validate MANIFEST}: reads the whole manifest and reports every rejected line.
 * Exit 0 when nothing is rejected, 2 when something is, 1 when the input cannot be read.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a prompt manifest (JSON Lines, or .txt with one prompt per line).",
      "Rejected lines go to stderr as MANIFEST:LINE: reason; the summary goes to stdout.",
      "Exit codes: 0 all lines accepted, 2 some rejected, 1 the manifest cannot be read."
    })
public final class ValidateCommand implements Callable<Integer> {
  static final int EXIT_REJECTS = 2;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MANIFEST", description = "A local path or an s3:// URI.")
  String manifest;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestSource source = ManifestSource.of(manifest);
    // Defaults do not change validity, only the values filled in for omitted fields.
    ManifestScanner scanner = new ManifestScanner(source.format(), new ItemDefaults(1024, 1024));
    ValidationSummary summary;
    try (InputStream in = source.open()) {
      summary = scanner.scan(in, verdict -> {
        if (verdict instanceof LineVerdict.Rejected r) {
          err.println(source.name() + ":" + r.line() + ": " + r.reason());
        }
      });
    }
    err.flush();
    out.println(summary);
    out.flush();
    return summary.rejected() == 0 ? 0 : EXIT_REJECTS;
  }
}
