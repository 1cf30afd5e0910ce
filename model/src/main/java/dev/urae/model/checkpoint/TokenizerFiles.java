package dev.urae.model.checkpoint;

import java.util.List;

/**
 * The files a tokenizer folder must hold: {@code tokenizer.json}, or the slow tokenizer's own
 * files (CLIP's {@code vocab.json} + {@code merges.txt}, T5's {@code spiece.model}).
 */
final class TokenizerFiles {
  private TokenizerFiles() {}

  /** Adds a problem when {@code c} is a tokenizer without a usable set of files. */
  static void check(Component c, List<CheckpointProblem> problems) {
    String cls = c.className().orElse("");
    if (!c.name().startsWith("tokenizer") && !cls.endsWith("Tokenizer") && !cls.endsWith("TokenizerFast")) return;
    if (c.hasFile("tokenizer.json")) return;
    if (cls.startsWith("CLIP")) {
      if (!c.hasFile("vocab.json") || !c.hasFile("merges.txt")) {
        problems.add(CheckpointProblem.of(c.location(), "missing tokenizer files: " + cls + " needs tokenizer.json, or vocab.json and merges.txt"
            + " (has vocab.json: " + c.hasFile("vocab.json") + ", merges.txt: " + c.hasFile("merges.txt") + ")"));
      }
    } else if (cls.startsWith("T5")) {
      if (!c.hasFile("spiece.model")) problems.add(CheckpointProblem.of(c.location(), "missing tokenizer files: " + cls + " needs tokenizer.json or spiece.model"));
    } else if (!c.hasFile("vocab.json") && !c.hasFile("spiece.model")) {
      problems.add(CheckpointProblem.of(c.location(), "missing tokenizer files: " + (cls.isEmpty() ? "a tokenizer" : cls) + " needs tokenizer.json, vocab.json + merges.txt, or spiece.model"));
    }
  }
}
