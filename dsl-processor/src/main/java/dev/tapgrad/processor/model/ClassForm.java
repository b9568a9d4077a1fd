package dev.tapgrad.processor.model;

import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/**
 * What the generated subclass needs from the model class itself: it must be subclassable from the
 * same package and constructible without arguments. {@code finalOrPrivateLayerFields} lists layer
 * fields the subclass could not assign.
 *
 * @param isNested whether the class is declared inside another one (static or not)
 * @param staticLayerFields layer fields declared {@code static}: one field for every instance
 * @param members the members the generated subclass inherits (declared in the class or a superclass
 *     other than Object, not private), whose names it must not declare again
 */
public record ClassForm(
        boolean isPrivate,
        boolean isFinal,
        boolean isInnerNonStatic,
        boolean isNested,
        boolean isInterfaceOrEnum,
        boolean hasAccessibleNoArgConstructor,
        List<String> finalOrPrivateLayerFields,
        Origin origin,
        List<String> staticLayerFields,
        List<Member> members) {

    public ClassForm {
        finalOrPrivateLayerFields = List.copyOf(finalOrPrivateLayerFields);
        staticLayerFields = List.copyOf(staticLayerFields);
        members = List.copyOf(members);
    }

    /** A form without static layer fields or inherited members, for specs built by hand. */
    public ClassForm(boolean isPrivate, boolean isFinal, boolean isInnerNonStatic, boolean isNested,
            boolean isInterfaceOrEnum, boolean hasAccessibleNoArgConstructor, List<String> finalOrPrivateLayerFields,
            Origin origin) {
        this(isPrivate, isFinal, isInnerNonStatic, isNested, isInterfaceOrEnum, hasAccessibleNoArgConstructor,
                finalOrPrivateLayerFields, origin, List.of(), List.of());
    }

    /** What kind of member a name belongs to. */
    public enum MemberKind {
        METHOD, FIELD, TYPE;

        /** The word for it in a message. */
        public String word() {
            return name().equals("TYPE") ? "class" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A member of the model class (or of a superclass) visible in the generated subclass.
     *
     * @param isAbstract for a method: whether it is abstract (the generated API may implement it)
     * @param owner the simple name of the class that declares it
     */
    public record Member(String name, MemberKind kind, boolean isAbstract, String owner, Origin origin) {}
}
