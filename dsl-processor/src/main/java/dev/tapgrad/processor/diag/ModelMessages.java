package dev.tapgrad.processor.diag;

/**
 * Messages about the model class itself, which the generated graph extends, and about the
 * processing environment (tags ModelForm, UnsupportedCompiler, Internal).
 * The tag that goes with each message is chosen by the caller from {@link Tag}.
 */
public final class ModelMessages {
    private ModelMessages() {}

    // ---- model class (ModelForm) ----------------------------------------------------------

    public static String classPrivate(String model) {
        return model + " is private, so the generated " + model + "Graph cannot extend it: make it package-private or public";
    }

    public static String classFinal(String model) {
        return model + " is final, so the generated " + model + "Graph cannot extend it: remove final (make it abstract)";
    }

    public static String classInner(String model) {
        return model + " is an inner class, so " + model + "Graph cannot extend it: declare " + model
                + " as a top-level class";
    }

    public static String classNested(String model) {
        return model + " is a nested class; the generated " + model + "Graph extends top-level model classes only: declare "
                + model + " as a top-level class";
    }

    public static String notAClass(String model) {
        return "@Model goes on an abstract class; " + model + " is not a class";
    }

    public static String noConstructor(String model) {
        return model + " has no constructor without parameters that " + model + "Graph can call: add " + model + "() {}";
    }

    public static String graphNameTaken(String model, String graph) {
        return "class " + graph + " is already declared, but Tapgrad generates " + graph + " from the model " + model
                + ": rename this class (or the model)";
    }

    public static String constructorThrows(String model, String exceptions) {
        return model + "() throws " + exceptions + ", which the generated " + model + "Graph's constructor does not declare:"
                + " catch it inside " + model + "()";
    }

    public static String abstractMethod(String model, String method, String owner) {
        return method + " is abstract (declared in " + owner + ") and the generated " + model
                + "Graph does not implement it: give it a body in " + model + ", or remove it";
    }

    public static String layerFieldForm(String field) {
        return "layer field " + field + " is private or final, so " + "the generated subclass cannot set it: declare it package-private and non-final";
    }

    public static String staticLayerField(String field) {
        return "layer field " + field + " is static, so every instance of the model would share the layer built last:"
                + " remove static";
    }

    public static String memberClash(String model, String kind, String name, String owner, String generated) {
        return kind + " " + name + (owner.equals(model) ? "" : " (inherited from " + owner + ")") + " clashes with the generated "
                + model + "Graph's " + generated + ": rename " + name;
    }

    // ---- environment ----------------------------------------------------------------------

    public static String noTrees(String compiler) {
        return "Tapgrad reads loss method bodies through javac's Trees API, which this compiler (" + compiler
                + ") does not offer: build with javac (Maven, Gradle or IntelliJ with the javac compiler); "
                + "Eclipse's compiler (ECJ) is not supported";
    }

    public static String internal(String model, Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        return "internal error while processing " + model + " (a bug in Tapgrad; please report it with this trace): " + sw;
    }
}
