package dev.urae.infra.awsbatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobStatus;
import software.amazon.awssdk.services.batch.model.JobSummary;

/**
 * Which children of a failed array job failed, and why: the parent only counts them, so the
 * failed children are listed, then described 100 at a time for their reasons. A child's index is
 * its task's position in the job's task list.
 */
final class ArrayChildFailures {
  private final BatchApi api;
  private final String logGroup;

  ArrayChildFailures(BatchApi api, String logGroup) {
    this.api = api;
    this.logGroup = logGroup;
  }

  /** Failed children of {@code arrayJobId}: child index → reason. */
  Map<Integer, String> of(String arrayJobId) throws InterruptedException {
    List<JobSummary> failed = api.listChildren(arrayJobId, JobStatus.FAILED);
    List<String> ids = failed.stream().map(JobSummary::jobId).toList();
    Map<Integer, String> reasons = new HashMap<>();
    for (JobDetail child : api.describe(ids)) {
      Integer index = childIndex(child.jobId(), child.arrayProperties() == null ? null : child.arrayProperties().index());
      if (index != null) reasons.put(index, FailureReason.of(child, logGroup));
    }
    for (JobSummary summary : failed) {
      Integer index = childIndex(summary.jobId(), summary.arrayProperties() == null ? null : summary.arrayProperties().index());
      if (index != null) reasons.putIfAbsent(index, "job " + summary.jobName() + " (" + summary.jobId() + ") FAILED: " + Objects.toString(summary.statusReason(), "no reason given"));
    }
    return reasons;
  }

  /** A child's index from its arrayProperties, else from its id ({@code parent:index}). */
  private static Integer childIndex(String jobId, Integer index) {
    if (index != null) return index;
    int colon = jobId.lastIndexOf(':');
    if (colon < 0) return null;
    try {
      return Integer.parseInt(jobId.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
