package dev.urae.model.base;

/**
 * How close one render is to its prompt's exact image.
 *
 * @param fidelity fraction of objects whose mean colour, inside the known shape, matches the truth's
 * @param objectColourError mean RGB distance between render and truth inside the objects
 * @param backgroundColourError mean RGB distance between render and truth of the background
 * @param textureDetail how much of the truth's texture the render reproduces in place; NaN when
 *     no object has texture
 * @param psnr peak signal-to-noise ratio against the truth, dB
 */
public record ImageScore(double fidelity, double objectColourError, double backgroundColourError, double textureDetail, double psnr) {}
