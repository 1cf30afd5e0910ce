package dev.urae.model.svd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.urae.model.nn.ScriptedModule;

/**
 * The two device-side steps of minor-component set-up, through TorchScript modules written by
 * {@code model/scripts/torch_ops.py} ({@code smallest-triplets.pt}, {@code minor-residual.pt}):
 * {@code torch.linalg.svd} where the weight lives (cuSOLVER on a GPU, LAPACK on the CPU), of
 * which only the r smallest triplets come back to the JVM, and {@code W − b₀·a₀} in W's own
 * dtype with the product freed inside the call.
 */
public final class TorchSvd {
  private TorchSvd() {}

  /** The {@code rank} smallest singular triplets of {@code weight} [rows, cols] (any float dtype, decomposed in float32). */
  public static SingularTriplets smallest(NDArray weight, int rank) {
    int rows = Math.toIntExact(weight.getShape().get(0));
    int cols = Math.toIntExact(weight.getShape().get(1));
    try (NDManager scope = weight.getManager().newSubManager()) {
      NDList out = Triplets.MODULE.forward(new NDList(weight, scope.create(rank)));
      out.attach(scope);
      return new SingularTriplets(rows, cols, out.get(0).toFloatArray(), out.get(1).toFloatArray(), out.get(2).toFloatArray());
    }
  }

  /** {@code weight − b0·a0} in {@code weight}'s dtype and manager (b0 [out, r], a0 [r, in], float32). */
  public static NDArray minorResidual(NDArray weight, NDArray b0, NDArray a0) {
    // the result becomes a frozen weight that autograd saves in training: not an inference tensor
    return Residual.MODULE.forwardOutsideInferenceMode(new NDList(weight, b0, a0)).singletonOrThrow();
  }

  /** Each module loads once per JVM, on first use. */
  private static final class Triplets {
    static final ScriptedModule MODULE = ScriptedModule.load(TorchSvd.class, "smallest-triplets.pt");
  }

  private static final class Residual {
    static final ScriptedModule MODULE = ScriptedModule.load(TorchSvd.class, "minor-residual.pt");
  }
}
