package dev.urae.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstantsTest {

  @Test
  void theConstantSurvivesAGarbageCollectionBetweenForwardAndBackward() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      // given x = 1 and 2,000 products 3·x in the graph
      NDArray x = manager.ones(new Shape(1));
      x.setRequiresGradient(true);
      float gradient;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector(); NDManager step = manager.newSubManager()) {
        NDArray sum = null;
        for (int i = 0; i < 2000; i++) {
          NDArray xi = x.getNDArrayInternal().linear(x.reshape(1, 1), step.ones(new Shape(1, 1)), null).singletonOrThrow();
          NDArray term = Constants.times(xi, 3f);
          sum = sum == null ? term : sum.add(term);
        }

        // when the garbage collector runs and freed native memory is reused before the backward
        // pass (with DJL's xi.mul(3f) instead, the gradient comes out NaN here: the constants'
        // Java buffers are freed while autograd still points at them)
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
          System.gc();
          Thread.sleep(200);
        }
        for (int i = 0; i < 20_000; i++) reuse.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, Float.NaN));
        collector.backward(sum.sum());
        gradient = x.getGradient().getFloat();
      }

      // then
      assertThat(gradient).isEqualTo(6000f);
    }
  }
}
