package dev.urae.model.demo.study;

import java.util.List;
import java.util.Objects;

/**
 * What the study found for one of the paper's claims, ready for a report: the claim in one
 * sentence, plots, tables of means with 95% intervals, the verdict with what it is decided on
 * ({@code decidedOn}: the measure the claim is about, and why) and its reason, and notes (the
 * likely reason when the numbers contradict the paper, what was swept, what was skipped).
 */
public record Findings(String id, String title, String claim, List<Plot> plots, List<Table> tables, Verdict verdict, String decidedOn, String reason,
    List<String> notes) {
  public Findings {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(claim, "claim == null");
    Objects.requireNonNull(verdict, "verdict == null");
    Objects.requireNonNull(decidedOn, "decidedOn == null");
    plots = List.copyOf(plots);
    tables = List.copyOf(tables);
    notes = List.copyOf(notes);
  }

  /** Lines against a common x axis; each point a mean with its interval. */
  public record Plot(String title, String xLabel, String yLabel, List<Series> series) {
    public Plot {
      series = List.copyOf(series);
    }
  }

  /** One line of a plot: {@code y.get(i)} at {@code x.get(i)}. */
  public record Series(String name, List<Double> x, List<Estimate> y) {
    public Series {
      x = List.copyOf(x);
      y = List.copyOf(y);
      if (x.size() != y.size()) throw new IllegalArgumentException("series " + name + ": " + x.size() + " x values for " + y.size() + " y values");
    }
  }

  /** A table: a header and rows of cells. */
  public record Table(String caption, List<String> header, List<List<Cell>> rows) {
    public Table {
      header = List.copyOf(header);
      rows = rows.stream().map(List::copyOf).toList();
      for (List<Cell> row : rows) {
        if (row.size() != header.size()) throw new IllegalArgumentException("table " + caption + ": a row has " + row.size() + " cells for " + header.size() + " columns");
      }
    }
  }

  /** A table cell: text, or a measured value (a mean with its interval) shown with {@code decimals} digits. */
  public record Cell(String text, Estimate estimate, int decimals) {
    public static Cell text(String text) {
      return new Cell(text, null, 0);
    }

    public static Cell of(Estimate estimate, int decimals) {
      return new Cell(null, estimate, decimals);
    }

    public String display() {
      return estimate == null ? text : estimate.format(decimals);
    }
  }
}
