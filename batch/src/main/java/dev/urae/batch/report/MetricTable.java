package dev.urae.batch.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named metrics per model, e.g. rows {@code base} and {@code adapted}, columns
 * {@code fidelity} and {@code psnr}. A row may lack a column (shown as a dash).
 *
 * @param headline one sentence shown above the table saying what changed and by how much (empty: none)
 */
public record MetricTable(String headline, List<String> columns, List<Row> rows) {
  public static final MetricTable EMPTY = new MetricTable("", List.of(), List.of());

  /** One model's metrics, by column name. */
  public record Row(String model, Map<String, Double> values) {
    public Row {
      Objects.requireNonNull(model, "model == null");
      values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }

  public MetricTable {
    headline = headline == null ? "" : headline;
    columns = columns == null ? List.of() : List.copyOf(columns);
    rows = rows == null ? List.of() : List.copyOf(rows);
    for (Row row : rows) {
      for (String column : row.values().keySet()) {
        if (!columns.contains(column)) {
          throw new IllegalArgumentException("row " + row.model() + " has a value for unknown column " + column);
        }
      }
    }
  }

  /** Whether there is anything to show (named so JSON mapping does not see a property). */
  public boolean hasRows() {
    return !rows.isEmpty();
  }
}
