package dev.urae.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * bfloat16 tensors without asking DJL for them. DJL 0.36 kills the JVM when Java creates or
 * casts to BFLOAT16, and reports a bfloat16 tensor's type as {@code UNKNOWN}. So stored bf16
 * bytes are handed to PyTorch typed as float16 (same width, no conversion) and two small
 * TorchScript modules, written by {@code model/src/main/python/make_dtype_modules.py}, do the
 * rest: {@code torch.view_copy(x, dtype=torch.bfloat16)} reinterprets the bits into a new
 * tensor on the input's device, and {@code x.dtype == torch.bfloat16} answers what DJL cannot.
 * Converting a bf16 tensor to float32 with {@code toType} works.
 */
public final class Bf16 {
  private static PtSymbolBlock fromBits;
  private static PtSymbolBlock isBf16;

  private Bf16() {}

  /** The bfloat16 tensor whose bits {@code bits} holds (typed FLOAT16), as a new tensor on the same device and in its manager. */
  public static NDArray fromBits(NDArray bits) {
    if (bits.getDataType() != DataType.FLOAT16) throw new IllegalArgumentException("bits must be typed FLOAT16, got " + bits.getDataType());
    return call(module(true), bits);
  }

  /** Whether {@code array} is bfloat16. */
  public static boolean is(NDArray array) {
    if (array.getDataType() != DataType.UNKNOWN) return false;
    try (NDArray answer = call(module(false), array)) {
      return answer.toBooleanArray()[0];
    }
  }

  /**
   * Runs outside PyTorch's inference mode (DJL's "training" flag; nothing here requires a
   * gradient): an inference tensor cannot be saved for a backward pass, and bf16 mixed precision
   * saves the stored weight itself for the gradient of its input.
   */
  private static NDArray call(PtSymbolBlock module, NDArray input) {
    NDManager owner = input.getManager();
    try (NDManager views = owner.newSubManager()) {
      // a nameless view: DJL passes an array named like "a.weight" as a dictionary entry
      NDArray view = input.reshape(input.getShape());
      view.attach(views);
      NDArray out = IValueUtils.forward(module, new NDList(view), true).singletonOrThrow();
      out.attach(owner);
      return out;
    }
  }

  private static synchronized PtSymbolBlock module(boolean converter) {
    if (fromBits == null) {
      // Modules live for the whole process, in a manager of their own.
      PtNDManager owner = (PtNDManager) ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch");
      fromBits = load(owner, "bf16_from_bits.pt");
      isBf16 = load(owner, "is_bf16.pt");
    }
    return converter ? fromBits : isBf16;
  }

  private static PtSymbolBlock load(PtNDManager owner, String resource) {
    try (InputStream in = Bf16.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("resource " + resource + " is missing from the build (run model/src/main/python/make_dtype_modules.py)");
      Path file = Files.createTempFile("urae-" + resource, ".pt");
      try {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        PtSymbolBlock block = JniUtils.loadModule(owner, file, false, new String[0], new String[0], false);
        return block;
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the bf16 TorchScript module " + resource, e);
    }
  }
}
