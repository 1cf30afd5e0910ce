package dev.urae.model.tensors;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a valid safetensors file; the message names the file and what is wrong. */
public final class InvalidSafeTensorsException extends IOException {
  public InvalidSafeTensorsException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
