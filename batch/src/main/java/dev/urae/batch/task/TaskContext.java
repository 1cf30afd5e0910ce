package dev.urae.batch.task;

import ai.djl.Device;
import dev.urae.infra.exec.VisibleGpus;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.model.checkpoint.DeviceOption;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a running task may use: the run's object store, the device its tensors go to, and a
 * record of the outputs it wrote (they go into the completion marker). One per task attempt.
 */
public final class TaskContext {
  private final ObjectStore store;
  private final String device;
  private final List<ObjectInfo> outputs = Collections.synchronizedList(new ArrayList<>());

  /** A context on the CPU. */
  public TaskContext(ObjectStore store) {
    this(store, VisibleGpus.CPU);
  }

  /** A context on {@code device}: {@code cpu} or {@code cuda:N}, as the executor or the worker's environment chose. */
  public TaskContext(ObjectStore store, String device) {
    this.store = store;
    this.device = device;
  }

  /**
   * The device the task's models and tensors go to ({@code NDManager.newBaseManager(context.device())}).
   *
   * @throws IllegalArgumentException when PyTorch does not see that GPU
   */
  public Device device() {
    return DeviceOption.parse(device);
  }

  public ObjectStore store() {
    return store;
  }

  /** Writes an output and records it for the completion marker. */
  public ObjectInfo put(String key, byte[] data) throws IOException {
    return record(store.put(key, data));
  }

  public ObjectInfo put(String key, InputStream data) throws IOException {
    return record(store.put(key, data));
  }

  public ObjectInfo putFile(String key, Path file) throws IOException {
    return record(store.putFile(key, file));
  }

  /** Records an output that already exists (reused from a cache or an earlier attempt). */
  public ObjectInfo reuse(String key) throws IOException {
    return record(store.stat(key).orElseThrow(
        () -> new IOException("cannot reuse " + store.uri(key) + ": it does not exist")));
  }

  public ObjectInfo record(ObjectInfo output) {
    outputs.add(output);
    return output;
  }

  public List<ObjectInfo> outputs() {
    synchronized (outputs) {
      return List.copyOf(outputs);
    }
  }
}
