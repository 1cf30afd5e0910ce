package dev.urae.batch.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the report as one HTML page: inline CSS, inline SVG, every text escaped, every link
 * relative (to {@code report/}), so the folder can be copied or served from S3 as it is.
 */
final class ReportPage {
  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1360px;
        padding:0 1rem;color:#1d232a;background:#fff;line-height:1.45}
      h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde1e6;
        padding-bottom:.2rem}
      code{background:#f3f5f7;padding:0 .25rem;border-radius:3px}
      table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #dde1e6;padding:.3rem .6rem;
        text-align:left;vertical-align:top}th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
      dl.summary{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dl.summary dt{font-weight:600}
      dl.summary dd{margin:0}
      svg.loss line.axis{stroke:#1d232a;stroke-width:1}svg.loss line.grid{stroke:#e6e9ed;stroke-width:1}
      svg.loss polyline.raw,svg.loss line.legend-raw{stroke:#2563eb;stroke-width:1;stroke-opacity:.3}
      svg.loss polyline.ema,svg.loss line.legend-ema{stroke:#1d4ed8;stroke-width:2.5}
      svg.loss line.checkpoint{stroke:#b45309;stroke-width:1;stroke-dasharray:4 3}svg.loss text{font-size:11px;fill:#1d232a}
      svg.loss text.chart-title{font-size:13px;font-weight:600}
      table.gallery td{min-width:140px}figure{margin:0}figure img{display:block;border:1px solid #dde1e6;
        image-rendering:pixelated}
      figcaption{font-size:.8rem;color:#5b6570}.prompt{max-width:320px}.missing{color:#a23b2a;font-size:.85rem;
        border:1px dashed #d9a39a;padding:.5rem}
      .empty{color:#5b6570;font-style:italic}p.headline{font-weight:600}
      """;

  private ReportPage() {}

  /**
   * @param gallery       per gallery entry, its images in the order of its panels
   * @param rejectsLinked whether the rejects file exists and may be linked
   */
  static String render(RunReport report, List<List<ShownImage>> gallery, boolean rejectsLinked) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>URAE run ").append(Html.escape(report.runId())).append("</title>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    html.append("<h1>URAE run <code>").append(Html.escape(report.runId())).append("</code></h1>\n");
    summary(html, report, rejectsLinked);
    stages(html, report);
    compute(html, report);
    batchCompute(html, report);
    loss(html, report);
    metrics(html, report);
    gallery(html, report, gallery);
    configuration(html, report);
    notes(html, report);
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void summary(StringBuilder html, RunReport report, boolean rejectsLinked) {
    html.append("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"summary\">\n");
    item(html, "Run", "<code>" + Html.escape(report.runId()) + "</code>");
    item(html, "Manifest", report.manifest().isEmpty() ? "<span class=\"empty\">unknown</span>"
        : "<code>" + Html.escape(report.manifest()) + "</code>");
    if (report.finishedAt() != null) item(html, "Finished", Html.escape(report.finishedAt()));
    item(html, "Recipe", recipe(report.recipe()));
    item(html, "Stage time", Html.escape(duration(report.totalMillis())));
    item(html, "Held-out renders", String.valueOf(report.gallery().size()));
    String rejects = String.valueOf(report.rejects().count());
    if (report.rejects().location() != null) {
      rejects += rejectsLinked
          ? " (<a href=\"" + Html.escape(Html.encodePath("../" + report.rejects().location())) + "\">"
              + Html.escape(report.rejects().location()) + "</a>)"
          : " (" + Html.escape(report.rejects().location()) + ", not found)";
    }
    item(html, "Rejected items", rejects);
    ReportJson.LossSummary loss = ReportJson.LossSummary.of(report.lossHistory());
    if (loss.last() != null) {
      item(html, "Final loss", Html.escape(number(loss.last().loss()) + " at step " + loss.last().step()));
      item(html, "Lowest loss", Html.escape(number(loss.min().loss()) + " at step " + loss.min().step()));
    }
    html.append("</dl>\n</section>\n");
  }

  /** The recipe's name, then each setting the run changed from it (or that none did). */
  private static String recipe(RecipeUse recipe) {
    if (recipe.name().equals(RecipeUse.NONE.name())) return "none (the demo defaults)";
    StringBuilder text = new StringBuilder("<code>" + Html.escape(recipe.name()) + "</code>");
    if (recipe.deviations().isEmpty()) return text.append(", as is").toString();
    text.append(", deviating in ");
    for (int i = 0; i < recipe.deviations().size(); i++) {
      RecipeUse.Deviation d = recipe.deviations().get(i);
      if (i > 0) text.append(", ");
      text.append("<code>").append(Html.escape(d.option())).append(" = ").append(Html.escape(d.runValue())).append("</code> (recipe: ")
          .append(Html.escape(d.recipeValue())).append(')');
    }
    return text.toString();
  }

  private static void stages(StringBuilder html, RunReport report) {
    html.append("<section id=\"stages\">\n<h2>Stages</h2>\n");
    if (report.stages().isEmpty()) {
      html.append("<p class=\"empty\">No stage ran.</p>\n</section>\n");
      return;
    }
    html.append("<table class=\"stages\">\n<tr><th>stage</th><th>time</th><th>done</th><th>failed</th>")
        .append("<th>pending</th><th>reused</th></tr>\n");
    int done = 0, failed = 0, pending = 0, reused = 0;
    for (StageSummary stage : report.stages()) {
      html.append("<tr><td>").append(Html.escape(stage.name())).append("</td>")
          .append(numCell(duration(stage.durationMillis()))).append(numCell(stage.done()))
          .append(numCell(stage.failed())).append(numCell(stage.pending())).append(numCell(stage.reused()))
          .append("</tr>\n");
      done += stage.done();
      failed += stage.failed();
      pending += stage.pending();
      reused += stage.reused();
    }
    html.append("<tr><th>total</th>").append(numCell(duration(report.totalMillis()))).append(numCell(done))
        .append(numCell(failed)).append(numCell(pending)).append(numCell(reused)).append("</tr>\n");
    html.append("</table>\n</section>\n");
  }

  private static void compute(StringBuilder html, RunReport report) {
    html.append("<section id=\"compute\">\n<h2>Compute</h2>\n");
    if (report.compute().isEmpty()) {
      html.append("<p class=\"empty\">No task recorded its compute.</p>\n</section>\n");
      return;
    }
    html.append("<p>Summed over each stage's tasks as their workers measured them; CPU time is the worker ")
        .append("threads' own (thread pools that libraries start are not counted).</p>\n");
    html.append("<table class=\"compute\">\n<tr><th>stage</th><th>tasks</th><th>wall time</th><th>CPU time</th>")
        .append("<th>CPU-hours</th></tr>\n");
    for (StageCompute stage : report.compute()) {
      html.append("<tr><td>").append(Html.escape(stage.name())).append("</td>").append(numCell(stage.tasks()))
          .append(numCell(duration(stage.wallMillis()))).append(numCell(duration(stage.cpuMillis())))
          .append(numCell(number(stage.cpuHours()))).append("</tr>\n");
    }
    html.append("</table>\n</section>\n");
  }

  /** Only for runs on AWS Batch: what the jobs' attempts reserved, on which capacity, and the estimated cost. */
  private static void batchCompute(StringBuilder html, RunReport report) {
    if (report.batchCompute().isEmpty()) return;
    html.append("<section id=\"batch-compute\">\n<h2>AWS Batch compute and estimated cost</h2>\n");
    html.append("<p>From the attempts AWS Batch recorded for each job (a Spot reclaim and its retry are two attempts): ")
        .append("reserved GPUs and vCPUs × hours, hours by capacity, and a cost estimate that charges each attempt its ")
        .append("share of the cheapest allowed instance type that holds it. Attempts whose capacity AWS did not name ")
        .append("are priced as on-demand.</p>\n");
    html.append("<table class=\"batch-compute\">\n<tr><th>stage</th><th>attempts</th><th>GPU-hours</th><th>vCPU-hours</th>")
        .append("<th>Spot h</th><th>on-demand h</th><th>Fargate h</th><th>unknown h</th><th>estimated USD</th></tr>\n");
    double usd = 0;
    int unpriced = 0;
    java.util.Set<String> prices = new java.util.LinkedHashSet<>();
    for (StageBatchCompute stage : report.batchCompute()) {
      html.append("<tr><td>").append(Html.escape(stage.name())).append("</td>").append(numCell(stage.attempts()))
          .append(numCell(number(stage.gpuHours()))).append(numCell(number(stage.vcpuHours())))
          .append(numCell(number(stage.spotHours()))).append(numCell(number(stage.onDemandHours())))
          .append(numCell(number(stage.fargateHours()))).append(numCell(number(stage.unknownCapacityHours())))
          .append(numCell(usd(stage.estimatedUsd()))).append("</tr>\n");
      usd += stage.estimatedUsd();
      unpriced += stage.unpricedAttempts();
      if (!stage.prices().isEmpty()) prices.add(stage.prices());
    }
    html.append("<tr><th>total</th><td></td><td></td><td></td><td></td><td></td><td></td><td></td>").append(numCell(usd(usd)))
        .append("</tr>\n</table>\n");
    html.append("<p class=\"prices\">Prices: ").append(Html.escape(prices.isEmpty() ? "not recorded" : String.join("; ", prices)))
        .append(". An estimate, not a bill: Cost Explorer on the environment's tag has the real figure.</p>\n");
    if (unpriced > 0) {
      html.append("<p>").append(unpriced).append(" attempt(s) have no price (no priced instance type holds them) and are not in the total.</p>\n");
    }
    html.append("</section>\n");
  }

  private static String usd(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static void loss(StringBuilder html, RunReport report) {
    html.append("<section id=\"loss\">\n<h2>Loss curve</h2>\n");
    String svg = LossChart.svg(report.lossHistory(), report.checkpoints());
    if (svg == null) {
      html.append("<p class=\"empty\">No loss history was recorded.</p>\n");
    } else {
      html.append(svg).append('\n');
      long skipped = report.lossHistory().stream().filter(p -> !Double.isFinite(p.loss())).count();
      if (skipped > 0) {
        html.append("<p>").append(skipped).append(" steps with a non-finite loss are not drawn.</p>\n");
      }
    }
    html.append("</section>\n");
  }

  private static void metrics(StringBuilder html, RunReport report) {
    html.append("<section id=\"metrics\">\n<h2>Metrics</h2>\n");
    MetricTable table = report.metrics();
    if (!table.hasRows()) {
      // Scores compare a render with the exact image of its prompt, which only the demo world knows.
      html.append("<p class=\"empty\">No metrics were computed: they need the exact image of each held-out prompt, which only"
          + " the demo base model's world knows (square prompts of the demo grammar).</p>\n</section>\n");
      return;
    }
    if (!table.headline().isEmpty()) html.append("<p class=\"headline\">").append(Html.escape(table.headline())).append("</p>\n");
    html.append("<table class=\"metrics\">\n<tr><th>model</th>");
    for (String column : table.columns()) html.append("<th>").append(Html.escape(column)).append("</th>");
    html.append("</tr>\n");
    for (MetricTable.Row row : table.rows()) {
      html.append("<tr><td>").append(Html.escape(row.model())).append("</td>");
      for (String column : table.columns()) {
        Double value = row.values().get(column);
        html.append(numCell(value == null ? "—" : number(value)));
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n</section>\n");
  }

  private static void gallery(StringBuilder html, RunReport report, List<List<ShownImage>> images) {
    html.append("<section id=\"gallery\">\n<h2>Gallery</h2>\n");
    if (report.gallery().isEmpty()) {
      html.append("<p class=\"empty\">No renders to compare.</p>\n</section>\n");
      return;
    }
    html.append("<p>Each row is one held-out prompt, every image from the same seed, enlarged with whole pixels; "
        + "the size under each image is the size it was made at.</p>\n");
    List<String> columns = new java.util.ArrayList<>();
    report.gallery().forEach(e -> e.panels().forEach(p -> { if (!columns.contains(p.column())) columns.add(p.column()); }));
    html.append("<table class=\"gallery\">\n<tr><th>item</th>");
    for (String column : columns) html.append("<th>").append(Html.escape(column)).append("</th>");
    html.append("</tr>\n");
    for (int i = 0; i < report.gallery().size(); i++) {
      GalleryEntry entry = report.gallery().get(i);
      html.append("<tr><td class=\"prompt\"><code>").append(Html.escape(entry.itemId())).append("</code><br>")
          .append(Html.escape(entry.prompt())).append("<br><small>seed ").append(entry.seed())
          .append("</small></td>");
      for (String column : columns) {
        ShownImage shown = images.get(i).stream().filter(image -> image.role().equals(column)).findFirst().orElse(null);
        html.append("<td>").append(shown == null || shown.isNone() ? "<span class=\"empty\">none</span>" : figure(shown, entry.itemId()))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n</section>\n");
  }

  private static String figure(ShownImage image, String itemId) {
    if (image.isMissing()) {
      return "<div class=\"missing\">" + Html.escape(image.role()) + " image " + Html.escape(image.problem())
          + ":<br><code>" + Html.escape(image.key()) + "</code></div>";
    }
    return "<figure><a href=\"" + Html.escape(Html.encodePath("../" + image.key())) + "\"><img src=\""
        + Html.escape(Html.encodePath(image.thumbnail())) + "\" width=\"" + image.thumbWidth()
        + "\" height=\"" + image.thumbHeight() + "\" alt=\"" + Html.escape(image.role() + " image of " + itemId)
        + "\"></a><figcaption>" + image.width() + "×" + image.height() + "</figcaption></figure>";
  }

  private static void configuration(StringBuilder html, RunReport report) {
    html.append("<section id=\"configuration\">\n<h2>Configuration</h2>\n");
    if (report.configuration().isEmpty()) {
      html.append("<p class=\"empty\">No configuration was recorded.</p>\n</section>\n");
      return;
    }
    html.append("<table class=\"configuration\">\n<tr><th>option</th><th>value</th></tr>\n");
    for (Map.Entry<String, String> option : report.configuration().entrySet()) {
      html.append("<tr><td><code>").append(Html.escape(option.getKey())).append("</code></td><td>")
          .append(Html.escape(option.getValue())).append("</td></tr>\n");
    }
    html.append("</table>\n</section>\n");
  }

  private static void notes(StringBuilder html, RunReport report) {
    if (report.notes().isEmpty()) return;
    html.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
    for (String note : report.notes()) html.append("<li>").append(Html.escape(note)).append("</li>\n");
    html.append("</ul>\n</section>\n");
  }

  private static void item(StringBuilder html, String term, String definitionHtml) {
    html.append("<dt>").append(Html.escape(term)).append("</dt><dd>").append(definitionHtml).append("</dd>\n");
  }

  private static String numCell(Object value) {
    return "<td class=\"num\">" + Html.escape(String.valueOf(value)) + "</td>";
  }

  static String number(double value) {
    if (!Double.isFinite(value)) return String.valueOf(value);
    return String.format(Locale.ROOT, "%.4g", value);
  }

  /** 850 ms, 12.3 s, 4 min 05 s, 1 h 02 min. */
  static String duration(long millis) {
    if (millis < 1000) return millis + " ms";
    if (millis < 60_000) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    long seconds = millis / 1000;
    if (seconds < 3600) return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
  }
}
