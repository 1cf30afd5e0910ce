package dev.urae.batch.report;

import dev.urae.model.demo.study.Estimate;
import dev.urae.model.demo.study.Findings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A study plot as inline SVG: one line per series through the means, a shaded band for each
 * point's 95% interval (left out where the interval is unknown, i.e. one seed), a legend, and
 * the loss chart's axes.
 */
final class StudyChart {
  static final int WIDTH = 720;
  static final int HEIGHT = 340;
  private static final int LEFT = 72;
  private static final int RIGHT = 200;
  private static final int TOP = 28;
  private static final int BOTTOM = 48;
  private static final String[] COLOURS = {"#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563"};

  private StudyChart() {}

  static String svg(Findings.Plot plot, String id) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (Findings.Series s : plot.series()) {
      xs.addAll(s.x());
      for (Estimate e : s.y()) {
        if (!Double.isFinite(e.mean())) continue;
        ys.add(e.mean());
        if (Double.isFinite(e.halfWidth())) {
          ys.add(e.low());
          ys.add(e.high());
        }
      }
    }
    if (xs.isEmpty() || ys.isEmpty()) return "";
    LossChart.Axis x = LossChart.Axis.around(min(xs), max(xs));
    LossChart.Axis y = LossChart.Axis.around(min(ys), max(ys));
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg class=\"study\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
        + "aria-labelledby=\"%s\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT, id));
    svg.append("<title id=\"").append(id).append("\">").append(Html.escape(plot.title())).append("</title>\n");
    svg.append(text(LEFT + plotW / 2, 18, "middle", plot.title(), "chart-title"));
    for (double tick : x.ticks()) {
      double px = LEFT + x.fraction(tick) * plotW;
      svg.append(LossChart.line(px, TOP, px, TOP + plotH, "grid"));
      svg.append(text(px, TOP + plotH + 16, "middle", x.label(tick), null));
    }
    for (double tick : y.ticks()) {
      double py = TOP + (1 - y.fraction(tick)) * plotH;
      svg.append(LossChart.line(LEFT, py, LEFT + plotW, py, "grid"));
      svg.append(text(LEFT - 6, py + 4, "end", y.label(tick), null));
    }
    svg.append(LossChart.line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "axis"));
    svg.append(LossChart.line(LEFT, TOP, LEFT, TOP + plotH, "axis"));
    svg.append(text(LEFT + plotW / 2, HEIGHT - 8, "middle", plot.xLabel(), null));
    svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>\n",
        TOP + plotH / 2, TOP + plotH / 2, Html.escape(plot.yLabel())));
    for (int k = 0; k < plot.series().size(); k++) {
      Findings.Series s = plot.series().get(k);
      String colour = COLOURS[k % COLOURS.length];
      StringBuilder upper = new StringBuilder();
      StringBuilder lower = new StringBuilder();
      StringBuilder means = new StringBuilder();
      boolean band = true;
      for (int i = 0; i < s.x().size(); i++) {
        Estimate e = s.y().get(i);
        if (!Double.isFinite(e.mean())) continue;
        double px = LEFT + x.fraction(s.x().get(i)) * plotW;
        means.append(String.format(Locale.ROOT, "%.2f,%.2f ", px, TOP + (1 - y.fraction(e.mean())) * plotH));
        if (!Double.isFinite(e.halfWidth())) {
          band = false;
          continue;
        }
        upper.append(String.format(Locale.ROOT, "%.2f,%.2f ", px, TOP + (1 - y.fraction(e.high())) * plotH));
        lower.insert(0, String.format(Locale.ROOT, "%.2f,%.2f ", px, TOP + (1 - y.fraction(e.low())) * plotH));
      }
      if (band && upper.length() > 0) {
        svg.append("<polygon class=\"band\" fill=\"").append(colour).append("\" points=\"").append(upper).append(lower.toString().trim()).append("\"/>\n");
      }
      svg.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour).append("\" points=\"").append(means.toString().trim()).append("\"/>\n");
      double ly = TOP + 10 + 18 * k;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>\n", WIDTH - RIGHT + 12, ly, WIDTH - RIGHT + 32, ly, colour));
      svg.append(text(WIDTH - RIGHT + 38, ly + 4, "start", s.name(), null));
    }
    svg.append("</svg>");
    return svg.toString();
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  private static String text(double x, double y, String anchor, String label, String cssClass) {
    String cls = cssClass == null ? "" : " class=\"" + cssClass + "\"";
    return String.format(Locale.ROOT, "<text%s x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n", cls, x, y, anchor, Html.escape(label));
  }
}
