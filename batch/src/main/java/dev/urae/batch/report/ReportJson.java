package dev.urae.batch.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * {@code report/summary.json}: the {@link RunReport} field by field, plus a {@code schema} tag and
 * a {@code totals} object with the figures the page derives (so scripts need not re-derive them).
 * {@link #read} gives back an equal {@link RunReport}.
 */
public final class ReportJson {
  /** Identifies the layout; bump when a field changes meaning. */
  public static final String SCHEMA = "urae-report/1";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ReportJson() {}

  /** The summary document for {@code report}; {@code missingImages} are keys the page could not show. */
  public static byte[] write(RunReport report, List<String> missingImages) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema", SCHEMA);
    root.setAll((ObjectNode) MAPPER.valueToTree(report));
    ObjectNode totals = root.putObject("totals");
    totals.put("stageMillis", report.totalMillis());
    totals.put("tasksDone", report.stages().stream().mapToInt(StageSummary::done).sum());
    totals.put("tasksFailed", report.stages().stream().mapToInt(StageSummary::failed).sum());
    totals.put("tasksPending", report.stages().stream().mapToInt(StageSummary::pending).sum());
    totals.put("tasksReused", report.stages().stream().mapToInt(StageSummary::reused).sum());
    totals.put("computeWallMillis", report.compute().stream().mapToLong(StageCompute::wallMillis).sum());
    totals.put("computeCpuMillis", report.compute().stream().mapToLong(StageCompute::cpuMillis).sum());
    totals.put("gpuHours", report.batchCompute().stream().mapToDouble(StageBatchCompute::gpuHours).sum());
    totals.put("vcpuHours", report.batchCompute().stream().mapToDouble(StageBatchCompute::vcpuHours).sum());
    totals.put("estimatedCostUsd", report.batchCompute().stream().mapToDouble(StageBatchCompute::estimatedUsd).sum());
    totals.put("lossSteps", report.lossHistory().size());
    LossSummary loss = LossSummary.of(report.lossHistory());
    if (loss.last() != null) totals.put("finalLoss", loss.last().loss());
    if (loss.min() != null) totals.put("minLoss", loss.min().loss());
    totals.put("galleryItems", report.gallery().size());
    totals.putPOJO("missingImages", List.copyOf(missingImages));
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the run report " + report.runId(), e);
    }
  }

  /** Reads a summary back into the report it was written from. */
  public static RunReport read(byte[] json) throws IOException {
    return MAPPER.readValue(json, RunReport.class);
  }

  /** The last and the lowest finite loss of a history. */
  record LossSummary(LossPoint last, LossPoint min) {
    static LossSummary of(List<LossPoint> history) {
      LossPoint last = null;
      LossPoint min = null;
      for (LossPoint p : history) {
        if (!Double.isFinite(p.loss())) continue;
        last = p;
        if (min == null || p.loss() < min.loss()) min = p;
      }
      return new LossSummary(last, min);
    }
  }
}
