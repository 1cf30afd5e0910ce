package dev.urae.infra.weights;

import java.nio.file.Path;

/**
 * A checkpoint in the local cache.
 *
 * @param folder      the local folder holding the checkpoint's files at their listed paths
 * @param digest      the listing's digest, {@code sha256:<hex>}
 * @param filesCopied files this call copied (0 when another task had staged them already)
 * @param bytesCopied bytes this call copied
 */
public record StagedWeights(Path folder, String digest, int filesCopied, long bytesCopied) {}
