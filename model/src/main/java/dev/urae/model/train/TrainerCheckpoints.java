package dev.urae.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterFile;
import dev.urae.model.optim.OptimizerState;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a trainer's state into checkpoint files and back. */
final class TrainerCheckpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainerCheckpoints() {}

  /** The trainer's own state: step, generator states, histories. */
  record TrainerState(long step, long dataRandom, long noiseRandom, List<Double> losses, List<Double> learningRates) {}

  static TrainingCheckpoint encode(Adapter adapter, OptimizerState optimizer, TrainerState trainer) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    Path temp = Files.createTempFile("urae-checkpoint", ".safetensors");
    try {
      AdapterFile.save(adapter, temp);
      files.put(TrainingCheckpoint.ADAPTER, Files.readAllBytes(temp));
      SafeTensorsWriter writer = new SafeTensorsWriter().metadata("kind", optimizer.kind());
      optimizer.scalars().forEach((k, v) -> writer.metadata("scalar." + k, v));
      optimizer.tensors().forEach((k, t) -> writer.addFloats(k, new Shape(t.shape()), t.values(), DType.F32));
      writer.write(temp);
      files.put(TrainingCheckpoint.OPTIMIZER, Files.readAllBytes(temp));
    } finally {
      Files.deleteIfExists(temp);
    }
    ObjectNode json = JSON.createObjectNode();
    json.put("step", trainer.step());
    json.put("data_random", trainer.dataRandom());
    json.put("noise_random", trainer.noiseRandom());
    ArrayNode losses = json.putArray("losses");
    trainer.losses().forEach(losses::add);
    ArrayNode rates = json.putArray("learning_rates");
    trainer.learningRates().forEach(rates::add);
    files.put(TrainingCheckpoint.TRAINER, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    return new TrainingCheckpoint(trainer.step(), files);
  }

  /** Restores the adapter's trainable values; returns the optimizer state and the trainer state. */
  static TrainerState restoreAdapter(TrainingCheckpoint checkpoint, Adapter adapter) throws IOException {
    Path temp = Files.createTempFile("urae-checkpoint", ".safetensors");
    try {
      Files.write(temp, checkpoint.file(TrainingCheckpoint.ADAPTER));
      Map<String, float[]> values = new LinkedHashMap<>();
      try (SafeTensorsFile in = SafeTensorsFile.open(temp)) {
        for (Map.Entry<String, NDArray> e : adapter.parameters().entrySet()) {
          if (!in.contains(e.getKey())) {
            throw new IllegalArgumentException("checkpoint at step " + checkpoint.step() + " does not fit this adapter: no " + e.getKey());
          }
          values.put(e.getKey(), in.floats(e.getKey()));
        }
      }
      adapter.setParameters(values);
    } finally {
      Files.deleteIfExists(temp);
    }
    var json = JSON.readTree(checkpoint.file(TrainingCheckpoint.TRAINER));
    List<Double> losses = new ArrayList<>();
    json.get("losses").forEach(n -> losses.add(n.asDouble()));
    List<Double> rates = new ArrayList<>();
    json.get("learning_rates").forEach(n -> rates.add(n.asDouble()));
    return new TrainerState(json.get("step").asLong(), json.get("data_random").asLong(), json.get("noise_random").asLong(), losses, rates);
  }

  static OptimizerState optimizerState(TrainingCheckpoint checkpoint) throws IOException {
    Path temp = Files.createTempFile("urae-checkpoint", ".safetensors");
    try {
      Files.write(temp, checkpoint.file(TrainingCheckpoint.OPTIMIZER));
      try (SafeTensorsFile in = SafeTensorsFile.open(temp)) {
        Map<String, String> scalars = new LinkedHashMap<>();
        in.metadata().forEach((k, v) -> {
          if (k.startsWith("scalar.")) scalars.put(k.substring(7), v);
        });
        Map<String, OptimizerState.StateTensor> tensors = new LinkedHashMap<>();
        for (String name : in.names()) tensors.put(name, new OptimizerState.StateTensor(in.entry(name).shape().getShape(), in.floats(name)));
        return new OptimizerState(in.metadata().get("kind"), tensors, scalars);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
