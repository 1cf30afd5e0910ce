package dev.urae.batch.cli;

import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.TensorDiff;
import dev.urae.model.tensors.TensorEntry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code urae tensors inspect FILE} and {@code urae tensors diff A B} for safetensors files. */
@Command(
    name = "tensors",
    mixinStandardHelpOptions = true,
    description = "Inspect and compare safetensors files (exit 1 when a file is missing or invalid).",
    subcommands = {TensorsCommand.Inspect.class, TensorsCommand.Diff.class})
public final class TensorsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required (see urae tensors --help)");
  }

  static Path existing(CommandSpec spec, Path file) throws NoSuchFileException {
    if (!Files.isRegularFile(file)) throw new NoSuchFileException(file + ": no such file; give the path of a .safetensors file");
    return file;
  }

  /** Lists tensors (name, dtype, shape) and metadata. */
  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "List a safetensors file's tensors and metadata.")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A .safetensors file.")
    Path file;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (SafeTensorsFile in = SafeTensorsFile.open(existing(spec, file))) {
        long elements = 0;
        for (TensorEntry e : in.tensors()) {
          out.println(e.name() + "\t" + e.dtype() + "\t" + e.shapeText());
          elements += e.shape().size();
        }
        for (Map.Entry<String, String> m : in.metadata().entrySet()) out.println("metadata\t" + m.getKey() + "\t" + m.getValue());
        out.printf(Locale.ROOT, "%d tensors, %,d elements%n", in.tensors().size(), elements);
      }
      out.flush();
      return 0;
    }
  }

  /** Largest absolute difference per shared tensor, and the names only in one file. */
  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = "Print the largest absolute difference per shared tensor and the names only in one file.")
  static final class Diff implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "First .safetensors file.")
    Path first;

    @Parameters(index = "1", paramLabel = "B", description = "Second .safetensors file.")
    Path second;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (SafeTensorsFile a = SafeTensorsFile.open(existing(spec, first)); SafeTensorsFile b = SafeTensorsFile.open(existing(spec, second))) {
        TensorDiff.Report report = TensorDiff.compare(a, b);
        for (TensorDiff.Shared s : report.shared()) {
          out.println(s.name() + "\t" + (s.problem() != null ? s.problem() : String.format(Locale.ROOT, "max|a-b| %.6g", s.maxAbsDifference())));
        }
        for (String name : report.onlyInFirst()) out.println(name + "\tonly in " + first);
        for (String name : report.onlyInSecond()) out.println(name + "\tonly in " + second);
        out.printf(Locale.ROOT, "%d shared, %d only in A, %d only in B%n", report.shared().size(), report.onlyInFirst().size(), report.onlyInSecond().size());
      }
      out.flush();
      return 0;
    }
  }
}
