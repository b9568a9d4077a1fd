package dev.tapgrad.runtime.layers;

/**
 * A layer whose forward differs between training and inference (Dropout, BatchNorm): the graph
 * hands it its shared {@link Mode} once, at construction, with the layer's position among the
 * graph's layers (so that two Dropout layers draw different masks).
 */
public interface ModalLayer {
    /** Reads the mode of every later step from {@code mode}; {@code index} is the layer's position in the graph. */
    void useMode(Mode mode, int index);
}
