/** PNG files with text chunks describing a render, and image/tensor conversion in [−1, 1]. */
package dev.urae.model.image;
