package dev.urae.batch.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loss curve as an inline SVG: the raw per-step loss as a faint polyline (one vertex per
 * recorded step; non-finite losses are left out), its exponential moving average as a bold one
 * (per-step flow-matching losses are noisy; the trend is what a person reads), dashed vertical
 * lines at checkpoints, linear axes with "nice" ticks (1, 2 or 5 × 10ⁿ), axis titles, a title
 * and a legend. Inline SVG keeps the report one self-contained file that any browser draws.
 */
final class LossChart {
  static final int WIDTH = 720;
  static final int HEIGHT = 320;
  private static final int LEFT = 72;
  private static final int RIGHT = 20;
  private static final int TOP = 28;
  private static final int BOTTOM = 48;
  /** Weight of the past in the moving average (about the last ten steps). */
  static final double EMA_DECAY = 0.9;

  private LossChart() {}

  /** The SVG element, or null when there is no finite point to draw. */
  static String svg(List<LossPoint> history, List<Long> checkpoints) {
    List<LossPoint> points = history.stream().filter(p -> Double.isFinite(p.loss())).toList();
    if (points.isEmpty()) return null;
    double minStep = points.stream().mapToLong(LossPoint::step).min().orElseThrow();
    double maxStep = points.stream().mapToLong(LossPoint::step).max().orElseThrow();
    double minLoss = points.stream().mapToDouble(LossPoint::loss).min().orElseThrow();
    double maxLoss = points.stream().mapToDouble(LossPoint::loss).max().orElseThrow();
    Axis x = Axis.around(minStep, maxStep);
    Axis y = Axis.around(minLoss, maxLoss);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;

    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"loss\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" role=\"img\" aria-labelledby=\"loss-title\">\n");
    svg.append("<title id=\"loss-title\">Training loss by step</title>\n");
    svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"18\" text-anchor=\"middle\" class=\"chart-title\">")
        .append("Training loss (").append(points.size()).append(points.size() == 1 ? " step" : " steps")
        .append(")</text>\n");
    // Grid and tick labels.
    for (double tick : x.ticks()) {
      double px = LEFT + x.fraction(tick) * plotW;
      svg.append(line(px, TOP, px, TOP + plotH, "grid"));
      svg.append(text(px, TOP + plotH + 16, "middle", x.label(tick)));
    }
    for (double tick : y.ticks()) {
      double py = TOP + (1 - y.fraction(tick)) * plotH;
      svg.append(line(LEFT, py, LEFT + plotW, py, "grid"));
      svg.append(text(LEFT - 6, py + 4, "end", y.label(tick)));
    }
    // Axes and their titles.
    svg.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "axis"));
    svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "axis"));
    svg.append(text(LEFT + plotW / 2, HEIGHT - 8, "middle", "step"));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">loss</text>\n",
        TOP + plotH / 2, TOP + plotH / 2));
    // Checkpoints, behind the curves.
    for (long step : checkpoints) {
      if (step < x.low() || step > x.high()) continue;
      double px = LEFT + x.fraction(step) * plotW;
      svg.append(line(px, TOP, px, TOP + plotH, "checkpoint"));
    }
    // The raw curve (one vertex per finite point), then its moving average on top.
    List<Double> raw = points.stream().map(LossPoint::loss).toList();
    svg.append(polyline("raw", points, raw, x, y, plotW, plotH));
    svg.append(polyline("ema", points, ema(raw), x, y, plotW, plotH));
    // Legend.
    double lx = LEFT + plotW - 250;
    svg.append(line(lx, TOP + 8, lx + 18, TOP + 8, "legend-raw")).append(text(lx + 22, TOP + 12, "start", "loss per step"));
    svg.append(line(lx + 100, TOP + 8, lx + 118, TOP + 8, "legend-ema")).append(text(lx + 122, TOP + 12, "start", "moving average"));
    if (!checkpoints.isEmpty()) {
      svg.append(line(lx + 100, TOP + 24, lx + 118, TOP + 24, "checkpoint")).append(text(lx + 122, TOP + 28, "start", "checkpoint"));
    }
    svg.append("</svg>");
    return svg.toString();
  }

  /** Exponential moving average with the start-up bias removed (so the first steps are not pulled towards 0). */
  static List<Double> ema(List<Double> values) {
    List<Double> out = new ArrayList<>();
    double average = 0;
    double weight = 0;
    for (double v : values) {
      average = EMA_DECAY * average + (1 - EMA_DECAY) * v;
      weight = EMA_DECAY * weight + (1 - EMA_DECAY);
      out.add(average / weight);
    }
    return out;
  }

  private static String polyline(String cssClass, List<LossPoint> points, List<Double> values, Axis x, Axis y, double plotW, double plotH) {
    StringBuilder vertices = new StringBuilder();
    for (int i = 0; i < points.size(); i++) {
      if (vertices.length() > 0) vertices.append(' ');
      vertices.append(String.format(Locale.ROOT, "%.2f,%.2f",
          LEFT + x.fraction(points.get(i).step()) * plotW, TOP + (1 - y.fraction(values.get(i))) * plotH));
    }
    return "<polyline class=\"" + cssClass + "\" fill=\"none\" points=\"" + vertices + "\"/>\n";
  }

  static String line(double x1, double y1, double x2, double y2, String cssClass) {
    return String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
        cssClass, x1, y1, x2, y2);
  }

  private static String text(double x, double y, String anchor, String label) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>\n",
        x, y, anchor, Html.escape(label));
  }

  /** A linear axis from {@code low} to {@code high} with ticks at a 1-2-5 step. */
  record Axis(double low, double high, double step) {
    static Axis around(double min, double max) {
      if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
        double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
        min -= pad;
        max += pad;
      }
      double step = niceStep((max - min) / 5);
      return new Axis(Math.floor(min / step) * step, Math.ceil(max / step) * step, step);
    }

    static double niceStep(double rough) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
      double normalized = rough / magnitude;
      double nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
      return nice * magnitude;
    }

    double fraction(double value) {
      return (value - low) / (high - low);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      long count = Math.round((high - low) / step);
      for (long i = 0; i <= count; i++) ticks.add(low + i * step);
      return ticks;
    }

    String label(double value) {
      if (Math.abs(value) < step * 1e-6) value = 0;
      double abs = Math.abs(value);
      if (abs != 0 && (abs >= 1e6 || abs < 1e-3)) return String.format(Locale.ROOT, "%.2g", value);
      int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
      return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
  }
}
