package bad.helpers;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.runtime.Tensor;

/** A static helper in its own file whose body is not straight-line. */
public final class Looping {
    private Looping() {}

    public static Tensor thrice(Tensor x) {
        Tensor total = x;
        for (int i = 0; i < 2; i++) {
            total = add(total, x);
        }
        return total;
    }
}
