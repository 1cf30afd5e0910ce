package dev.urae.batch.cli;

import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.LineVerdict;
import dev.urae.batch.manifest.ManifestScanner;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.batch.manifest.ValidationSummary;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.teacher.DemoWorldTeacher;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
      "When the run would use the demo teacher (the default), training prompts it cannot draw are",
      "warned about as MANIFEST:LINE: warning: reason (see docs/demo-grammar.md).",
      "Exit codes: 0 all lines accepted, 2 some rejected, 1 the manifest cannot be read."
    })
public final class ValidateCommand implements Callable<Integer> {
  static final int EXIT_REJECTS = 2;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MANIFEST", description = "A local path or an s3:// URI.")
  String manifest;

  @Option(names = "--set", paramLabel = "NAME=VALUE", description = "A pipeline option the run will use, as for urae run "
      + "(teacher.kind decides whether prompts are checked against the demo grammar).")
  Map<String, String> options = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestSource source = ManifestSource.of(manifest);
    // Defaults do not change validity, only the values filled in for omitted fields.
    ManifestScanner scanner = new ManifestScanner(source.format(), new ItemDefaults(1024, 1024));
    boolean demoTeacher = PipelineOptions.resolve(options, false).get(PipelineOptions.TEACHER_KIND).equals("demo");
    long[] training = new long[2]; // training items, and those the demo teacher would refuse
    ValidationSummary summary;
    try (InputStream in = source.open()) {
      summary = scanner.scan(in, verdict -> {
        if (verdict instanceof LineVerdict.Rejected r) {
          err.println(source.name() + ":" + r.line() + ": " + r.reason());
        } else if (verdict instanceof LineVerdict.Accepted a && demoTeacher && !ItemSplit.heldOut(a.item())) {
          training[0]++;
          Optional<String> refusal = DemoWorldTeacher.refusal(a.item().prompt(), a.item().width(), a.item().height());
          if (refusal.isPresent()) {
            training[1]++;
            err.println(source.name() + ":" + a.line() + ": warning: " + refusal.get());
          }
        }
      });
    }
    err.flush();
    out.println(summary);
    if (training[1] > 0) {
      out.println("warning: the demo teacher (pipeline option teacher.kind, the default) would refuse " + training[1] + " of "
          + training[0] + " training items" + (training[1] == training[0] ? ", so the run would fail at its teacher stage" : "")
          + "; the demo grammar is described in " + DemoWorldTeacher.GRAMMAR_DOC);
    }
    out.flush();
    return summary.rejected() == 0 ? 0 : EXIT_REJECTS;
  }
}
