/**
 * The run report: a {@link dev.urae.batch.report.RunReport} (plain numbers and keys gathered by
 * the report stage) written by {@link dev.urae.batch.report.ReportWriter} as a self-contained
 * {@code report/index.html} (inline CSS, an inline SVG loss curve, a gallery of base vs adapted
 * renders with thumbnails under {@code report/thumbs/} linking the full images by relative links)
 * and {@code report/summary.json} with the same numbers. Everything goes through the object store,
 * so the report is the same on a laptop folder and in S3. {@link dev.urae.batch.report.ReportLinkChecker}
 * verifies that every link of a written report resolves to an object.
 */
package dev.urae.batch.report;
