package dev.tapgrad.spark;

import java.io.Serializable;
import java.util.UUID;

/** What every task of one training run needs to find or build its shard's model. */
final class RunId implements Serializable {
    private static final long serialVersionUID = 1L;

    final String id = UUID.randomUUID().toString();
    final String modelClass;
    final long seed;

    RunId(String modelClass, long seed) {
        this.modelClass = modelClass;
        this.seed = seed;
    }
}
