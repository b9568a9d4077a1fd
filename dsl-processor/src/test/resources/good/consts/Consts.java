package consts;

/** Constants a model's bodies read from another class of the same compilation. */
public final class Consts {
    public static final int LAST = -1;
    public static final double HALF = 0.5;
    public static final boolean KEEP = true;

    private Consts() {}
}
