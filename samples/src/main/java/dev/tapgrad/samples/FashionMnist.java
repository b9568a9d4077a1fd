package dev.tapgrad.samples;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Idx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fashion-MNIST for the samples: the class-balanced subset bundled in the jar (10,000 training and
 * 2,000 test images, see {@code samples/data/README.md}) or the full set from a folder.
 */
public final class FashionMnist {
    /** Number of classes (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot). */
    public static final int CLASSES = 10;

    /** Base names of the four IDX files, in the order train images, train labels, test images, test labels. */
    public static final List<String> FILE_NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final String BUNDLED = "/dev/tapgrad/samples/fashion-mnist/";

    /** Images as (N, 28, 28, 1) floats in [0, 1] and their class indices. */
    public record Split(Tensor images, int[] labels) {
        /** Number of examples. */
        public int size() {
            return labels.length;
        }

        /** The first {@code n} examples (all of them if there are fewer), in order. */
        public Split first(int n) {
            if (n >= size()) {
                return this;
            }
            int[] shape = images.shape();
            int perExample = images.size() / shape[0];
            shape[0] = n;
            return new Split(Tensor.of(Arrays.copyOf(images.buffer(), n * perExample), shape), Arrays.copyOf(labels, n));
        }

        /** Labels one-hot encoded, (N, 10): what categorical crossentropy reads. */
        public Tensor oneHot() {
            return Dataset.oneHot(labels, CLASSES);
        }

        /** Images with one-hot labels. */
        public Dataset dataset() {
            return Dataset.of(images, oneHot());
        }

        /** Examples per class, indexed by class. */
        public int[] classCounts() {
            int[] counts = new int[CLASSES];
            for (int label : labels) {
                counts[label]++;
            }
            return counts;
        }
    }

    /** Both splits and where they came from (for messages and the summary). */
    public record Data(Split train, Split test, String source) {}

    /**
     * A folder is missing some of the four files; the message names the folder and the expected
     * file names, which is all a user needs to fix it.
     */
    public static final class MissingFilesException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingFilesException(String message) {
            super(message);
        }
    }

    private FashionMnist() {}

    /** The subset bundled in the jar. */
    public static Data bundled() throws IOException {
        InputStream[] streams = new InputStream[4];
        for (int i = 0; i < 4; i++) {
            String resource = BUNDLED + FILE_NAMES.get(i) + ".gz";
            streams[i] = FashionMnist.class.getResourceAsStream(resource);
            if (streams[i] == null) {
                closeAll(streams);
                // Only a broken build gets here: the files are committed and packaged with the class.
                throw new MissingFilesException("the bundled Fashion-MNIST subset is missing " + resource
                        + " from the class path; rebuild the samples or pass --data DIR");
            }
        }
        try {
            return read(streams, "bundled Fashion-MNIST subset");
        } finally {
            closeAll(streams);
        }
    }

    /**
     * The four IDX files from {@code dir}, each either plain or gzipped ({@code .gz}).
     *
     * @throws MissingFilesException if the folder lacks any of them
     */
    public static Data fromFolder(Path dir) throws IOException {
        Path[] paths = new Path[4];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = FILE_NAMES.get(i);
            Path plain = dir.resolve(name);
            Path gz = dir.resolve(name + ".gz");
            paths[i] = Files.isRegularFile(plain) ? plain : Files.isRegularFile(gz) ? gz : null;
            if (paths[i] == null) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            String what = missing.size() == FILE_NAMES.size()
                    ? " has none of the Fashion-MNIST files"
                    : " lacks " + String.join(", ", missing);
            throw new MissingFilesException("folder " + dir.toAbsolutePath() + what + "; it needs "
                    + String.join(", ", FILE_NAMES)
                    + " (each plain or .gz), as downloaded from https://github.com/zalandoresearch/fashion-mnist");
        }
        InputStream[] streams = new InputStream[4];
        try {
            for (int i = 0; i < 4; i++) {
                streams[i] = Files.newInputStream(paths[i]);
            }
            return read(streams, "Fashion-MNIST from " + dir);
        } finally {
            closeAll(streams);
        }
    }

    private static Data read(InputStream[] s, String source) throws IOException {
        Split train = split(Idx.readImages(s[0]), Idx.readLabels(s[1]), "training", source);
        Split test = split(Idx.readImages(s[2]), Idx.readLabels(s[3]), "test", source);
        return new Data(train, test, source);
    }

    private static Split split(Tensor images, int[] labels, String which, String source) throws IOException {
        // Checked here so a wrong or mismatched file fails with its name, not deep inside fit().
        int[] shape = images.shape();
        if (!Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), new int[] {28, 28, 1})) {
            throw new IOException(source + ": " + which + " images have shape " + Arrays.toString(shape)
                    + ", but Fashion-MNIST images are 28x28 (N, 28, 28, 1)");
        }
        if (shape[0] != labels.length) {
            throw new IOException(source + ": " + shape[0] + " " + which + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IOException(source + ": " + which + " label " + i + " is " + labels[i]
                        + ", outside the classes 0.." + (CLASSES - 1));
            }
        }
        return new Split(images, labels);
    }

    private static void closeAll(InputStream[] streams) throws IOException {
        IOException first = null;
        for (InputStream s : streams) {
            if (s == null) {
                continue;
            }
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
