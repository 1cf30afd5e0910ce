package dev.urae.batch.stages;

import dev.urae.batch.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * What the adapt stage reports of its training ({@code adapt/history.json}): written by adapt
 * ({@link #toJson}), read by the report stage for the loss chart ({@link #read}).
 *
 * @param losses        the loss of every step, in order
 * @param learningRates the learning rate of every step, in order
 */
public record TrainingHistory(long steps, long resumedFrom, double seconds, double stepsPerSecond, int items,
    String adapter, long trainableParameters, List<Double> losses, List<Double> learningRates) {

  public TrainingHistory {
    losses = List.copyOf(losses);
    learningRates = List.copyOf(learningRates);
  }

  public byte[] toJson() throws IOException {
    return Json.MAPPER.writeValueAsBytes(this);
  }

  public static TrainingHistory read(InputStream in) throws IOException {
    return Json.MAPPER.readValue(in, TrainingHistory.class);
  }
}
