package dev.urae.batch.job;

import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Records which process runs a job execution (host and pid), so that an execution left
 * "STARTED" by a process that was killed ({@code kill -9}, a lost machine) can be recognised as
 * dead and resumed, while one that is really running is left alone.
 */
public final class ProcessLease implements JobExecutionListener {
  static final String HOST = "urae.host";
  static final String PID = "urae.pid";

  @Override
  public void beforeJob(JobExecution execution) {
    ExecutionContext context = execution.getExecutionContext();
    context.putString(HOST, hostName());
    context.putLong(PID, ProcessHandle.current().pid());
  }

  /**
   * Whether the process recorded for {@code execution} is known to be gone: it ran on this host
   * and no process with its pid exists, or the pid now belongs to a process that started later
   * than the execution. An execution on another host is never judged dead from here.
   */
  public static boolean ownerIsGone(JobExecution execution) {
    ExecutionContext context = execution.getExecutionContext();
    if (!context.containsKey(PID) || !hostName().equals(context.getString(HOST, ""))) {
      return false;
    }
    long pid = context.getLong(PID);
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) return true;
    LocalDateTime started = execution.getStartTime() != null ? execution.getStartTime() : execution.getCreateTime();
    Optional<Instant> processStart = process.get().info().startInstant();
    return started != null && processStart.isPresent()
        && processStart.get().isAfter(started.atZone(ZoneId.systemDefault()).toInstant().plusSeconds(1));
  }

  /** Describes the owner for messages, e.g. {@code pid 4242 on host-a}. */
  public static String owner(JobExecution execution) {
    ExecutionContext context = execution.getExecutionContext();
    return context.containsKey(PID)
        ? "pid " + context.getLong(PID) + " on " + context.getString(HOST, "?")
        : "an unknown process";
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
