package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A TorchScript module shipped as a class-path resource (written by
 * {@code model/scripts/torch_ops.py}), reaching PyTorch operators DJL 0.36 does not expose or
 * running a whole step in one native call. Load each once, in a holder class's static field, so
 * it loads on first use and lives as long as the JVM.
 */
public final class ScriptedModule {
  private final PtSymbolBlock module;

  private ScriptedModule(PtSymbolBlock module) {
    this.module = module;
  }

  /** Loads {@code resource}, resolved beside {@code owner}'s class file, into a manager of its own. */
  public static ScriptedModule load(Class<?> owner, String resource) {
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager("PyTorch");
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is missing from the class path beside " + owner.getName() + "; run model/scripts/torch_ops.py");
      return new ScriptedModule(JniUtils.loadModule(manager, in, true, false));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /**
   * Runs the module's {@code forward} on {@code inputs}; results land in the first input's
   * manager. Autograd records through it when the calling thread's grad mode is on (DJL would
   * otherwise run a module under a no-grad guard).
   */
  public NDList forward(NDList inputs) {
    return forward(inputs, JniUtils.isGradMode());
  }

  /**
   * Runs {@code forward} outside PyTorch's inference mode even when no gradient is recorded:
   * for results that later take part in training (a frozen weight that autograd will save),
   * since an inference tensor cannot be saved for a backward pass.
   */
  public NDList forwardOutsideInferenceMode(NDList inputs) {
    return forward(inputs, true);
  }

  private NDList forward(NDList inputs, boolean training) {
    NDManager owner = inputs.get(0).getManager();
    try (NDManager views = owner.newSubManager()) {
      NDList unnamed = new NDList(inputs.size());
      for (NDArray input : inputs) unnamed.add(unnamed(input, views));
      NDList out = IValueUtils.forward(module, unnamed, training);
      out.attach(owner);
      return out;
    }
  }

  /**
   * DJL passes an array whose name has a dot ({@code x_embedder.weight}, as loaded weights are
   * named) as an entry of a dictionary; such an array goes as a nameless view of the same storage
   * instead, whose handle is closed after the call (autograd keeps what it saved on its own).
   */
  private static NDArray unnamed(NDArray input, NDManager views) {
    String name = input.getName();
    if (name == null || !name.contains(".")) return input;
    NDArray view = input.reshape(input.getShape());
    view.attach(views);
    return view;
  }
}
