/**
 * The house rules as a test: which module and package may import which, no package cycles, stage
 * packages independent of each other, and the DJL rule for training code (model/README).
 */
package dev.urae.tests.architecture;
