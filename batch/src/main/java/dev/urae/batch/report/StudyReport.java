package dev.urae.batch.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.demo.study.BaseFacts;
import dev.urae.model.demo.study.Estimate;
import dev.urae.model.demo.study.Findings;
import dev.urae.model.demo.study.Study;
import dev.urae.model.demo.study.StudySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a study's {@code index.html} (one section per claim: the claim, its plots as inline SVG,
 * its tables of means with 95% intervals, the verdict with the measure it is decided on and its
 * reason) and {@code summary.json} (the same content; an unknown interval, from one seed, and an
 * unmeasurable mean are {@code null}).
 */
public final class StudyReport {
  /** Identifies the layout of summary.json; bump when a field changes meaning. */
  public static final String SCHEMA = "urae-study/2";
  public static final String PAGE = "index.html";
  public static final String SUMMARY = "summary.json";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1200px;
        padding:0 1rem;color:#1d232a;background:#fff;line-height:1.45}
      h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #dde1e6;padding-bottom:.2rem}
      code{background:#f3f5f7;padding:0 .25rem;border-radius:3px}
      table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #dde1e6;padding:.3rem .6rem;text-align:left;vertical-align:top}
      th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}caption{text-align:left;font-size:.9rem;color:#5b6570}
      p.claim{font-style:italic}.verdict{font-weight:600;padding:.1rem .4rem;border-radius:3px}
      .supported{background:#dcfce7}.not-supported{background:#fee2e2}.inconclusive{background:#fef9c3}.not-applicable{background:#e5e7eb}
      svg.study line.axis{stroke:#1d232a;stroke-width:1}svg.study line.grid{stroke:#e6e9ed;stroke-width:1}
      svg.study polyline.series{stroke-width:2}svg.study polygon.band{opacity:.15}svg.study text{font-size:11px;fill:#1d232a}
      svg.study text.chart-title{font-size:13px;font-weight:600}ul.notes{color:#3b444d;font-size:.92rem}
      """;

  private StudyReport() {}

  /** Writes both files into {@code folder}; returns the page. */
  public static Path write(Study.Result result, String command, Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.write(folder.resolve(SUMMARY), json(result, command));
    Path page = folder.resolve(PAGE);
    Files.writeString(page, html(result, command), StandardCharsets.UTF_8);
    return page;
  }

  static String html(Study.Result result, String command) {
    StringBuilder html = new StringBuilder(65_536);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>URAE guidelines study</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    html.append("<h1>The paper's guidelines, reproduced with numbers</h1>\n");
    StudySettings s = result.settings();
    BaseFacts b = result.base();
    html.append("<p>Reproduce with <code>").append(Html.escape(command)).append("</code>. Study <b>").append(Html.escape(s.name())).append("</b>: ")
        .append(s.seeds()).append(" seed(s) per condition, ").append(s.steps()).append(" training steps per arm on ").append(s.scenes())
        .append(" scenes, scored on ").append(s.evalImages()).append(" held-out prompt(s). Base: width ").append(b.width()).append(", native ")
        .append(b.nativeResolution()).append("×").append(b.nativeResolution()).append(", target ").append(b.targetResolution()).append("×")
        .append(b.targetResolution()).append(", render guidance ").append(Html.escape(number(b.renderGuidance()))).append(b.guidanceDistilled() ? " (guidance-distilled)" : "")
        .append(", weights <code>").append(Html.escape(b.weights())).append("</code>. ")
        .append(String.format(Locale.ROOT, "Wall time %.1f min (%d arm(s) run, %d reused).", result.seconds() / 60, result.armsRun(), result.armsReused()))
        .append(" Intervals are 95% from Student's t over seeds; comparisons are paired by seed (arms of a seed share render noise and prompts); "
            + "a verdict is <i>supported</i> only when the whole interval of the predicted gain is above zero.</p>\n");
    html.append("<table>\n<tr><th>claim</th><th>verdict</th><th>decided on</th><th>why</th></tr>\n");
    for (Findings f : result.findings()) {
      html.append("<tr><td><a href=\"#").append(Html.escape(f.id())).append("\">").append(Html.escape(f.title())).append("</a></td><td>")
          .append(verdict(f)).append("</td><td>").append(Html.escape(f.decidedOn())).append("</td><td>").append(Html.escape(f.reason())).append("</td></tr>\n");
    }
    html.append("</table>\n");
    int chart = 0;
    for (Findings f : result.findings()) {
      html.append("<section id=\"").append(Html.escape(f.id())).append("\">\n<h2>").append(Html.escape(f.title())).append("</h2>\n");
      html.append("<p class=\"claim\">The paper: ").append(Html.escape(f.claim())).append("</p>\n");
      html.append("<p>Verdict: ").append(verdict(f)).append(" — ").append(Html.escape(f.reason())).append("</p>\n");
      html.append("<p>Decided on: ").append(Html.escape(f.decidedOn())).append(". Every measure is in the tables.</p>\n");
      for (Findings.Plot plot : f.plots()) {
        String svg = StudyChart.svg(plot, "chart-" + chart++);
        html.append("<figure>").append(svg.isEmpty() ? "<figcaption>" + Html.escape(plot.title()) + ": no measurable value to plot</figcaption>" : svg).append("</figure>\n");
      }
      for (Findings.Table table : f.tables()) table(html, table);
      if (!f.notes().isEmpty()) {
        html.append("<ul class=\"notes\">\n");
        for (String note : f.notes()) html.append("<li>").append(Html.escape(note)).append("</li>\n");
        html.append("</ul>\n");
      }
      html.append("</section>\n");
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static String verdict(Findings f) {
    String cls = f.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-');
    return "<span class=\"verdict " + cls + "\">" + Html.escape(f.verdict().label()) + "</span>";
  }

  private static void table(StringBuilder html, Findings.Table table) {
    html.append("<table>\n<caption>").append(Html.escape(table.caption())).append("</caption>\n<tr>");
    for (String h : table.header()) html.append("<th>").append(Html.escape(h)).append("</th>");
    html.append("</tr>\n");
    for (List<Findings.Cell> row : table.rows()) {
      html.append("<tr>");
      for (Findings.Cell cell : row) {
        html.append(cell.estimate() == null ? "<td>" : "<td class=\"num\">").append(Html.escape(cell.display())).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  static byte[] json(Study.Result result, String command) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("command", command);
    root.set("settings", MAPPER.valueToTree(result.settings()));
    root.set("base", MAPPER.valueToTree(result.base()));
    root.put("seconds", result.seconds());
    root.put("armsRun", result.armsRun());
    root.put("armsReused", result.armsReused());
    ArrayNode sections = root.putArray("sections");
    for (Findings f : result.findings()) {
      ObjectNode section = sections.addObject();
      section.put("id", f.id());
      section.put("title", f.title());
      section.put("claim", f.claim());
      section.put("verdict", f.verdict().name().toLowerCase(Locale.ROOT));
      section.put("decidedOn", f.decidedOn());
      section.put("reason", f.reason());
      ArrayNode plots = section.putArray("plots");
      for (Findings.Plot p : f.plots()) {
        ObjectNode plot = plots.addObject();
        plot.put("title", p.title());
        plot.put("x", p.xLabel());
        plot.put("y", p.yLabel());
        ArrayNode series = plot.putArray("series");
        for (Findings.Series s : p.series()) {
          ObjectNode line = series.addObject();
          line.put("name", s.name());
          ArrayNode points = line.putArray("points");
          for (int i = 0; i < s.x().size(); i++) estimate(points.addObject().put("x", s.x().get(i)), s.y().get(i));
        }
      }
      ArrayNode tables = section.putArray("tables");
      for (Findings.Table t : f.tables()) {
        ObjectNode table = tables.addObject();
        table.put("caption", t.caption());
        table.set("header", MAPPER.valueToTree(t.header()));
        ArrayNode rows = table.putArray("rows");
        for (List<Findings.Cell> r : t.rows()) {
          ArrayNode row = rows.addArray();
          for (Findings.Cell c : r) {
            if (c.estimate() == null) row.add(c.text());
            else estimate(row.addObject(), c.estimate());
          }
        }
      }
      section.set("notes", MAPPER.valueToTree(f.notes()));
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the study summary", e);
    }
  }

  /** mean (null when not measurable), ci95 (half width; null when unknown) and n. */
  private static void estimate(ObjectNode node, Estimate e) {
    if (Double.isFinite(e.mean())) node.put("mean", e.mean());
    else node.putNull("mean");
    if (Double.isFinite(e.halfWidth())) node.put("ci95", e.halfWidth());
    else node.putNull("ci95");
    node.put("n", e.n());
  }

  private static String number(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
