package dev.urae.batch.task;

import dev.urae.infra.exec.Causes;
import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.exec.TaskRunner;
import dev.urae.infra.exec.VisibleGpus;
import dev.urae.infra.store.ObjectLocation;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The worker: runs one task from its spec and, only when it succeeded, writes the completion
 * marker; a failure a retry cannot change ({@link PermanentTaskFailure}) is recorded for the stage. The same code runs on the local executor's threads and inside {@code urae worker} on
 * AWS Batch.
 */
public final class TaskWorker implements TaskRunner {
  private final Map<String, TaskHandler> handlers;

  public TaskWorker(Map<String, TaskHandler> handlers) {
    this.handlers = Map.copyOf(handlers);
  }

  /** A worker with every handler on the class path. */
  public static TaskWorker discover() {
    Map<String, TaskHandler> found = new TreeMap<>();
    for (TaskHandler handler : ServiceLoader.load(TaskHandler.class)) {
      TaskHandler previous = found.put(handler.stage(), handler);
      if (previous != null) {
        throw new IllegalStateException("two task handlers for stage '" + handler.stage() + "': "
            + previous.getClass().getName() + " and " + handler.getClass().getName());
      }
    }
    return new TaskWorker(found);
  }

  public boolean handles(String stage) {
    return handlers.containsKey(stage);
  }

  @Override
  public void run(TaskRef task, String device) throws Exception {
    ObjectLocation location = ObjectLocation.parse(task.spec().toString());
    TaskSpec spec;
    try (ObjectStore specStore = ObjectStores.open(location.storeRoot())) {
      spec = new TaskStore(specStore).readSpec(location.key());
    }
    try (ObjectStore store = ObjectStores.open(spec.store())) {
      run(spec, store, device);
    }
  }

  /** Runs a spec against an open store on the CPU; the marker is written last. */
  public void run(TaskSpec spec, ObjectStore store) throws Exception {
    run(spec, store, VisibleGpus.CPU);
  }

  /** Runs a spec against an open store on {@code device} ({@code cpu}, {@code cuda:N}); the marker is written last. */
  public void run(TaskSpec spec, ObjectStore store, String device) throws Exception {
    TaskHandler handler = handlers.get(spec.stage());
    if (handler == null) {
      throw new IllegalStateException("no worker code for stage '" + spec.stage() + "' (known: "
          + String.join(", ", new TreeMap<>(handlers).keySet()) + ")");
    }
    TaskStore tasks = new TaskStore(store);
    tasks.clearPermanentFailure(spec);
    TaskContext context = new TaskContext(store, device);
    TaskCompute.Stopwatch stopwatch = TaskCompute.start();
    try {
      handler.run(spec, context);
    } catch (Exception e) {
      // Recorded for the orchestrator, which may only see an exit code (AWS Batch).
      if (PermanentTaskFailure.isPermanent(e)) tasks.writePermanentFailure(spec, Causes.describe(e));
      throw e;
    }
    tasks.writeMarker(spec, context.outputs(), stopwatch.stop());
  }
}
