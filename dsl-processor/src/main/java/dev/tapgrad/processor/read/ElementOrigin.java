package dev.tapgrad.processor.read;

import dev.tapgrad.processor.diag.Origin;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/** An origin on an element, optionally narrowed to one of its annotations and one value in it. */
record ElementOrigin(Element element, AnnotationMirror mirror, AnnotationValue value) implements Origin {
    static ElementOrigin of(Element element) {
        return new ElementOrigin(element, null, null);
    }

    @Override
    public String toString() {
        return element + (value != null ? " @ " + value : "");
    }
}
