package dev.urae.infra.awsbatch;

import software.amazon.awssdk.services.batch.model.CRType;

/** The kind of capacity an attempt ran on: what it is billed as. */
public enum Capacity {
  SPOT,
  ON_DEMAND,
  FARGATE,
  FARGATE_SPOT,
  /** The queue has compute environments of several kinds and AWS did not say which one ran it. */
  UNKNOWN;

  static Capacity of(CRType type) {
    if (type == null) return UNKNOWN;
    return switch (type) {
      case SPOT -> SPOT;
      case EC2 -> ON_DEMAND;
      case FARGATE -> FARGATE;
      case FARGATE_SPOT -> FARGATE_SPOT;
      default -> UNKNOWN;
    };
  }

  boolean isSpot() {
    return this == SPOT || this == FARGATE_SPOT;
  }

  boolean isFargate() {
    return this == FARGATE || this == FARGATE_SPOT;
  }
}
