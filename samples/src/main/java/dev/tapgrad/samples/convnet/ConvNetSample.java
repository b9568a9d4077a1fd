package dev.tapgrad.samples.convnet;

import dev.tapgrad.samples.ClassifierSample;
import picocli.CommandLine.Command;

/**
 * The {@code convnet} sample: Keras's mnist_convnet ({@link ConvNet}) on Fashion-MNIST with its
 * recipe, batch 128 and Adam; evaluates on the test set (inference: no dropout) and checks that the
 * saved checkpoint reloads into a fresh model that predicts the same.
 */
@Command(name = "convnet",
        description = "Keras's mnist_convnet on Fashion-MNIST: Conv2D 32, MaxPool2D, Conv2D 64, MaxPool2D, Flatten, "
                + "Dropout 0.5, Dense 10 softmax; batch 128, Adam.")
public final class ConvNetSample extends ClassifierSample {
    /** Epochs without {@code --epochs}: the recipe. */
    public static final int DEFAULT_EPOCHS = 3;
    /** Keras's mnist_convnet batch size. */
    public static final int DEFAULT_BATCH_SIZE = 128;

    /** Only picocli constructs the command. */
    public ConvNetSample() {
        super(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, "ConvNet", ConvNetGraph::new, images -> images);
    }
}
