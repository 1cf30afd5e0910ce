package dev.urae.batch.job;

import dev.urae.batch.run.RunConfig;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The {@code urae} job's parameters. Only {@code run.id} identifies a job instance: it is
 * already a digest of the manifest and the configuration, so the rest is carried along.
 */
public final class JobParams {
  public static final String JOB_NAME = "urae";
  public static final String RUN_ID = "run.id";
  public static final String MANIFEST = "run.manifest";
  public static final String CONFIG = "run.config";
  public static final String RENDER_MANIFEST = "run.render-manifest";

  private JobParams() {}

  public static JobParameters of(String runId, String manifest, RunConfig config) {
    return of(runId, manifest, null, config);
  }

  /** With {@code renderManifest} (may be null): prompts that are only rendered, not trained on. */
  public static JobParameters of(String runId, String manifest, String renderManifest, RunConfig config) {
    JobParametersBuilder builder = new JobParametersBuilder()
        .addString(RUN_ID, runId, true)
        .addString(MANIFEST, manifest, false)
        .addString(CONFIG, config.toJson(), false);
    if (renderManifest != null) builder.addString(RENDER_MANIFEST, renderManifest, false);
    return builder.toJobParameters();
  }

  /** The render-only manifest, or null. */
  public static String renderManifest(JobParameters parameters) {
    return parameters.getString(RENDER_MANIFEST);
  }

  /** Parameters that find an existing run's job instance. */
  public static JobParameters identifying(String runId) {
    return new JobParametersBuilder().addString(RUN_ID, runId, true).toJobParameters();
  }

  public static String runId(JobParameters parameters) {
    return parameters.getString(RUN_ID);
  }

  public static RunConfig config(JobParameters parameters) {
    return RunConfig.fromJson(parameters.getString(CONFIG));
  }

  public static String manifest(JobParameters parameters) {
    return parameters.getString(MANIFEST);
  }
}
