package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 row 8: model classes the generated {@code <Model>Graph} cannot extend or construct.
 * javac places a class at its {@code class} keyword and a field at its name.
 */
class ModelFormErrorsTest {
    @Test
    void privateNestedModel() {
        // Its default constructor is private too, but only because the class is: no constructor error.
        Negative.compile("PrivateModel", 2)
                .errorAt(16, 29, "[Tapgrad/ModelForm] Net is private, so the generated NetGraph cannot extend it:"
                        + " make it package-private or public")
                .errorAt(16, 29, "[Tapgrad/ModelForm] Net is a nested class");
    }

    @Test
    void staticNestedModel() {
        Negative.compile("NestedModel", 1).errorAt(16, 21, "[Tapgrad/ModelForm] Net is a nested class; the generated"
                + " NetGraph extends top-level model classes only: declare Net as a top-level class");
    }

    @Test
    void innerModel() {
        Negative.compile("InnerModel", 1).errorAt(16, 14, "[Tapgrad/ModelForm] Net is an inner class, so NetGraph cannot"
                + " extend it: declare Net as a top-level class");
    }

    @Test
    void finalModel() {
        Negative.compile("FinalModel", 1).errorAt(14, 7, "[Tapgrad/ModelForm] FinalModel is final, so the generated"
                + " FinalModelGraph cannot extend it: remove final (make it abstract)");
    }

    @Test
    void modelWithoutNoArgConstructor() {
        Negative.compile("NoNoArgConstructor", 1).errorAt(14, 10, "[Tapgrad/ModelForm] NoNoArgConstructor has no constructor"
                + " without parameters that NoNoArgConstructorGraph can call: add NoNoArgConstructor() {}");
    }

    @Test
    void privateLayerField() {
        Negative.compile("PrivateLayerField", 1).errorAt(16, 28, "[Tapgrad/ModelForm] layer field flat is private or final,"
                + " so the generated subclass cannot set it: declare it package-private and non-final");
    }

    @Test
    void modelWithoutLayers() {
        Negative.compile("NoLayers", 1).errorAt(14, 10, "[Tapgrad/ModelForm] NoLayers declares no @Layer fields: add at"
                + " least one, e.g. @Layer(units = 10, activation = SOFTMAX) Dense out;");
    }

    @Test
    void severalMistakesAreAllReportedInOneCompile() {
        Negative.compile("SeveralMistakes", 5)
                .errorAt(17, 34, "[Tapgrad/LayerAttribute] @Layer attribute filters does not apply to Dense out")
                .errorAt(19, 20, "[Tapgrad/UnknownTap] tap \"conv2\" names no layer of SeveralMistakes")
                .errorAt(19, 38, "[Tapgrad/LossWeight] weight = 0.0 on sparsity must be finite and greater than 0")
                .errorAt(23, 20, "[Tapgrad/LossSignature] loop is private")
                .errorAt(24, 9, "[Tapgrad/NotDifferentiable] a loop cannot be differentiated at compile time");
    }
}
