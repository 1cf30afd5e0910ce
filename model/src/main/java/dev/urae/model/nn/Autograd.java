package dev.urae.model.nn;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode is per thread and starts enabled on every new thread; DJL switches it off
 * only on the thread that loads the engine. A task that runs on another pool thread would then
 * record graphs for inference and, after a GradientCollector closes, keep grad mode on, so the
 * optimizer's in-place update of a parameter fails ("a leaf Variable that requires grad is being
 * used in an in-place operation"). Code that trains or samples calls this first.
 */
public final class Autograd {
  private Autograd() {}

  /** Turns gradient recording off on the calling thread (GradientCollector turns it on and back off). */
  public static void disableOnThisThread() {
    JniUtils.setGradMode(false);
  }
}
