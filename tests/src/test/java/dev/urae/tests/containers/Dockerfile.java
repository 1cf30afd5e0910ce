package dev.urae.tests.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile read into its instructions (continuation lines joined, comments dropped) and its
 * build stages. Enough of the format to check invariants without a Docker engine.
 */
public final class Dockerfile {
  /** One instruction: keyword in upper case, arguments as written, 1-based line of its start. */
  public record Instruction(String keyword, String arguments, int line) {}

  /** One {@code FROM} stage: its base image, optional name and instructions. */
  public record Stage(String base, Optional<String> name, List<Instruction> instructions) {
    public List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
  }

  private final Path file;
  private final List<Instruction> instructions;
  private final List<Stage> stages;

  private Dockerfile(Path file, List<Instruction> instructions) {
    this.file = file;
    this.instructions = List.copyOf(instructions);
    this.stages = split(instructions, file);
  }

  public static Dockerfile read(Path file) {
    try {
      return new Dockerfile(file, parse(Files.readAllLines(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  public List<Instruction> instructions() {
    return instructions;
  }

  public List<Stage> stages() {
    return stages;
  }

  /** The stage that becomes the image. */
  public Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  public boolean isStageName(String reference) {
    return stages.stream().anyMatch(s -> s.name().map(reference::equalsIgnoreCase).orElse(false));
  }

  private static List<Instruction> parse(List<String> lines) {
    List<Instruction> parsed = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.trim();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current == null)) continue;
      if (current == null) {
        current = new StringBuilder();
        start = i + 1;
      }
      boolean continues = trimmed.endsWith("\\");
      current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continues) {
        String text = current.toString().trim();
        int space = text.indexOf(' ');
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        parsed.add(new Instruction(keyword, space < 0 ? "" : text.substring(space + 1).trim(), start));
        current = null;
      }
    }
    return parsed;
  }

  private static List<Stage> split(List<Instruction> instructions, Path file) {
    List<Stage> stages = new ArrayList<>();
    String base = null;
    Optional<String> name = Optional.empty();
    List<Instruction> body = new ArrayList<>();
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("FROM")) {
        if (base != null) stages.add(new Stage(base, name, List.copyOf(body)));
        String[] words = instruction.arguments().split("\\s+");
        List<String> plain = new ArrayList<>();
        for (String word : words) if (!word.startsWith("--")) plain.add(word);
        base = plain.get(0);
        name = plain.size() >= 3 && plain.get(1).equalsIgnoreCase("AS") ? Optional.of(plain.get(2)) : Optional.empty();
        body = new ArrayList<>();
      } else if (base != null) {
        body.add(instruction);
      }
    }
    if (base == null) throw new IllegalArgumentException(file + " has no FROM instruction");
    stages.add(new Stage(base, name, List.copyOf(body)));
    return List.copyOf(stages);
  }
}
