package dev.urae.infra.awsbatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.batch.model.AttemptDetail;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.JobStatus;

class FailureReasonTest {
  @Test
  void joinsStatusReasonExitCodeAttemptsReclaimsAndLogStream() {
    // given: two spot reclaims, then an out-of-memory kill
    JobDetail job = JobDetail.builder().jobName("urae-r1-teacher-x").jobId("abc:7").status(JobStatus.FAILED)
        .statusReason("Essential container in task exited")
        .container(c -> c.exitCode(137).reason("OutOfMemoryError: Container killed due to memory usage").logStreamName("def/default/abc"))
        .attempts(
            AttemptDetail.builder().statusReason("Host EC2 (instance i-1) terminated.").build(),
            AttemptDetail.builder().statusReason("Host EC2 (instance i-2) terminated.").build(),
            AttemptDetail.builder().statusReason("Essential container in task exited").build())
        .build();

    // when
    String reason = FailureReason.of(job, "/aws/batch/job");

    // then
    assertThat(reason).isEqualTo("job urae-r1-teacher-x[7] (abc:7) FAILED: Essential container in task exited; "
        + "exit code 137 (OutOfMemoryError: Container killed due to memory usage); 3 attempts, 2 spot reclaims; "
        + "log /aws/batch/job stream def/default/abc");
  }

  @Test
  void aJobTheQueueCancelledInRunnableNamesTheLikelyCauses() {
    // given: the queue's time limit cancelled a job no instance type could hold
    JobDetail job = JobDetail.builder().jobName("urae-r1-adapt-1").jobId("def").status(JobStatus.FAILED)
        .statusReason("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (memory) is higher than that can be met by the CE(s)")
        .build();

    // when
    String reason = FailureReason.of(job, "/aws/batch/urae");

    // then
    assertThat(reason).contains("MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT").contains("likely causes")
        .contains("vCPU quota of 0").contains("docs/aws.md");
  }
}
