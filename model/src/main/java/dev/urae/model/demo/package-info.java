/**
 * The demo world: a small universe of scenes with a known truth, so the whole URAE recipe can
 * run on two CPU cores and be judged in numbers. A {@link dev.urae.model.demo.PromptGrammar}
 * draws scene descriptions (one or two shapes with colour, size, position and texture on a
 * background) with a short {@code prompt} and a detailed {@code generated_prompt}; the
 * {@link dev.urae.model.demo.SceneRenderer} draws any scene at any resolution with fine detail
 * (thin outlines, stripes, dots, grids) that only high resolutions resolve; the {@link
 * dev.urae.model.demo.DemoTeacher} is that renderer with an optional error level δ (clean but
 * biased), the {@link dev.urae.model.demo.DemoPhotographer} its "real photographs" (unbiased
 * but noisy given the caption); the
 * {@link dev.urae.model.demo.DemoMetric} scores a render against the truth. Everything is
 * plain Java and deterministic by seed.
 */
package dev.urae.model.demo;
