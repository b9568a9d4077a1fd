package dev.tapgrad.processor.model;

import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/**
 * What the generated subclass needs from the model class itself: it must be subclassable from the
 * same package and constructible without arguments. {@code finalOrPrivateLayerFields} lists layer
 * fields the subclass could not assign.
 *
 * @param isNested whether the class is declared inside another one (static or not)
 */
public record ClassForm(
        boolean isPrivate,
        boolean isFinal,
        boolean isInnerNonStatic,
        boolean isNested,
        boolean isInterfaceOrEnum,
        boolean hasAccessibleNoArgConstructor,
        List<String> finalOrPrivateLayerFields,
        Origin origin) {

    public ClassForm {
        finalOrPrivateLayerFields = List.copyOf(finalOrPrivateLayerFields);
    }
}
