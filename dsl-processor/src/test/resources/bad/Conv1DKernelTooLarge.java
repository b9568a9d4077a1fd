package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.Conv1D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.GlobalAvgPool1D;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

@Model(input = {5, 2}, loss = MSE)
abstract class Conv1DKernelTooLarge {
    @Layer(filters = 4, kernel = 7) Conv1D conv;
    @Layer GlobalAvgPool1D pool;
    @Layer(units = 1) Dense out;
}
