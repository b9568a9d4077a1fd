package dev.tapgrad.runtime.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.AtomicFiles;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Fit.backupTo}'s folder. After an epoch, {@code epoch-N.safetensors} (the parameters, the
 * layers' state, and the optimizer's slots as {@code optimizer/<slot>/<parameter>}) is written
 * atomically, then {@code backup.json} (model, tensor shapes, fit options that decide the run,
 * epoch, step counts, RNG positions, learning rate set while training, history) atomically and last:
 * it names the tensor file, so it is the commit point, and older tensor files are deleted only
 * after it. A crash at any moment leaves the previous epoch's backup or this one, whole.
 */
final class Backup {
    static final String MANIFEST = "backup.json";
    private static final String FORMAT = "tapgrad-backup-1";
    private static final String SLOT_PREFIX = "optimizer/";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting()
            .disableHtmlEscaping().create();

    private final Path dir;
    private final Fit fit;
    /** The committed backup read from the folder, or null for a new one. */
    private final Saved saved;

    /** A committed backup as read and checked: everything restore needs, nothing left to parse. */
    private record Saved(Map<String, Tensor> tensors, int epoch, boolean stopped, long modelEpochs, long randomStep,
            String kind, long iterations, double learningRate, List<String> slots, List<Map<String, Double>> history) {}

    private Backup(Path dir, Fit fit, Saved saved) {
        this.dir = dir;
        this.fit = fit;
        this.saved = saved;
    }

    Path dir() {
        return dir;
    }

    /** Whether the folder held a committed epoch. */
    boolean exists() {
        return saved != null;
    }

    /**
     * Reads the folder's backup, if any, and checks it against the model and the fit, changing
     * nothing. A folder without {@code backup.json} starts a new backup (it is created if missing).
     *
     * @throws IllegalArgumentException for a backup of another model, of other shapes, or of a fit
     *     with other options (listing each difference), or one that cannot be read
     */
    static Backup open(Path dir, CompiledGraph g, Fit fit) {
        Path file = dir.resolve(MANIFEST);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Fit.backupTo(" + dir + "): that is a file, not a folder");
        }
        if (!Files.exists(file)) {
            return new Backup(dir, fit, null);
        }
        String where = "Fit.backupTo(" + dir + "): ";
        JsonObject m;
        Saved saved;
        try {
            m = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
            if (m == null || !m.has("format") || !FORMAT.equals(m.get("format").getAsString())) {
                throw new IllegalArgumentException(where + file + " is not a Tapgrad backup manifest (" + FORMAT
                        + "); pass another folder or delete it");
            }
            String model = m.get("model").getAsString();
            if (!model.equals(g.modelName())) {
                throw new IllegalArgumentException(where + "the folder holds a backup of " + model + ", not of "
                        + g.modelName() + "; pass another folder, or delete it to start a new backup. Nothing was trained.");
            }
            saved = parse(dir, m);
        } catch (IOException | JsonParseException | IllegalStateException | UnsupportedOperationException
                | NullPointerException | ClassCastException | NumberFormatException e) {
            throw new IllegalArgumentException(where + "the backup there cannot be read (" + e.getMessage()
                    + "); pass another folder or delete it. Nothing was trained.", e);
        }
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> expected = expectedTensors(g, saved.slots());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor t = saved.tensors().get(e.getKey());
            if (t == null) {
                problems.add("it has no " + e.getKey());
            } else if (!t.sameShape(e.getValue())) {
                problems.add(e.getKey() + " has shape " + format(t.shape()) + " there but " + format(e.getValue().shape())
                        + " in " + g.modelName());
            }
        }
        for (String name : saved.tensors().keySet()) {
            if (!expected.containsKey(name)) {
                problems.add("it has " + name + ", which " + g.modelName() + " does not");
            }
        }
        if (!saved.kind().isEmpty() && !saved.kind().equals(fit.optimizer().kind())) {
            problems.add("it was trained with " + saved.kind() + ", this fit uses " + fit.optimizer().kind());
        }
        same(problems, "batchSize", m.get("batchSize").getAsLong(), fit.batchSize());
        same(problems, "seed", m.get("seed").getAsLong(), fit.seed());
        if (saved.epoch() > fit.epochs()) {
            problems.add("it has " + saved.epoch() + " epochs done, more than this fit's " + fit.epochs());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + "the backup there does not match this fit of " + g.modelName()
                    + ": " + String.join("; ", problems) + ". Rerun with the options of the backed-up run, or pass "
                    + "another folder. Nothing was trained.");
        }
        return new Backup(dir, fit, saved);
    }

    /** Every field of the manifest, typed and range-checked, and the tensor file it names (only a name in dir). */
    private static Saved parse(Path dir, JsonObject m) throws IOException {
        String tensorFile = m.get("file").getAsString();
        if (!tensorFile.matches("epoch-[0-9]{1,9}\\.safetensors")) {
            throw new IllegalStateException("its tensor file '" + tensorFile + "' is not an epoch-N.safetensors name");
        }
        int epoch = m.get("epoch").getAsInt();
        long modelEpochs = m.get("modelEpochs").getAsLong();
        long randomStep = m.get("randomStep").getAsLong();
        JsonObject opt = m.get("optimizer").getAsJsonObject();
        long iterations = opt.get("iterations").getAsLong();
        if (epoch < 1 || modelEpochs < epoch || randomStep < 0 || iterations < 0) {
            throw new IllegalStateException("its counts are impossible (epoch " + epoch + ", modelEpochs " + modelEpochs
                    + ", randomStep " + randomStep + ", iterations " + iterations + ")");
        }
        JsonElement lr = opt.get("learningRate");
        double learningRate = lr == null || lr.isJsonNull() ? Double.NaN : lr.getAsDouble();
        if (!Double.isNaN(learningRate) && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalStateException("its learning rate " + learningRate + " is not finite and > 0");
        }
        List<String> slots = new ArrayList<>();
        for (JsonElement slot : opt.get("slots").getAsJsonArray()) {
            slots.add(slot.getAsString());
        }
        List<Map<String, Double>> history = new ArrayList<>();
        for (JsonElement e : m.get("history").getAsJsonArray()) {
            Map<String, Double> record = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> kv : e.getAsJsonObject().entrySet()) {
                record.put(kv.getKey(), kv.getValue().getAsDouble());
            }
            history.add(record);
        }
        return new Saved(Safetensors.read(dir.resolve(tensorFile)), epoch, m.get("stopped").getAsBoolean(), modelEpochs,
                randomStep, opt.get("kind").getAsString(), iterations, learningRate, slots, history);
    }

    private static void same(List<String> problems, String what, long backedUp, long now) {
        if (backedUp != now) {
            problems.add("it was made with " + what + " " + backedUp + ", this fit has " + now);
        }
    }

    /** The tensors a backup of {@code g} holds: checkpointed weights, then each optimizer slot per parameter. */
    private static Map<String, Tensor> expectedTensors(CompiledGraph g, List<String> slots) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : g.parameters()) {
            out.put(p.name(), p.value());
        }
        for (Parameter p : g.state()) {
            out.put(p.name(), p.value());
        }
        for (String slot : slots) {
            for (Parameter p : g.parameters()) {
                out.put(SLOT_PREFIX + slot + "/" + p.name(), p.value());
            }
        }
        return out;
    }

    /**
     * Copies the backup into the model and {@code state}, appends its history to {@code records}
     * and returns the epoch to continue after (past the fit's last if the backed-up run was stopped).
     */
    int restore(CompiledGraph g, TrainingState state, List<Map<String, Double>> records) {
        List<Parameter> weights = new ArrayList<>(g.parameters());
        weights.addAll(g.state());
        for (Parameter p : weights) {
            p.value().copyFrom(saved.tensors().get(p.name()));
        }
        Map<String, float[][]> slots = new LinkedHashMap<>();
        List<Parameter> params = g.parameters();
        for (String slot : saved.slots()) {
            float[][] arrays = new float[params.size()][];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = saved.tensors().get(SLOT_PREFIX + slot + "/" + params.get(i).name()).buffer().clone();
            }
            slots.put(slot, arrays);
        }
        state.optimizer().restore(saved.kind(), saved.iterations(), saved.learningRate(), slots);
        state.epochs(saved.modelEpochs());
        g.randomStep(saved.randomStep());
        records.addAll(saved.history());
        return saved.stopped() ? Integer.MAX_VALUE : saved.epoch();
    }

    /** Writes the backup of the model after {@code epoch}: tensors, manifest (the commit), then removes older tensor files. */
    void save(CompiledGraph g, TrainingState state, List<Map<String, Double>> records, int epoch, boolean finished)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : g.parameters()) {
            out.put(p.name(), p.value());
        }
        for (Parameter p : g.state()) {
            out.put(p.name(), p.value());
        }
        JsonArray slotNames = new JsonArray();
        List<Parameter> params = g.parameters();
        for (Map.Entry<String, float[][]> slot : state.optimizer().slots().entrySet()) {
            slotNames.add(slot.getKey());
            for (int i = 0; i < params.size(); i++) {
                out.put(SLOT_PREFIX + slot.getKey() + "/" + params.get(i).name(),
                        Tensor.wrap(slot.getValue()[i], params.get(i).value().shape()));
            }
        }
        String tensorFile = "epoch-" + epoch + ".safetensors";
        Safetensors.write(dir.resolve(tensorFile), out);

        JsonObject m = new JsonObject();
        m.addProperty("format", FORMAT);
        m.addProperty("model", g.modelName());
        m.addProperty("file", tensorFile);
        m.addProperty("epoch", epoch);
        m.addProperty("stopped", finished && epoch < fit.epochs());
        m.addProperty("modelEpochs", state.epochs());
        m.addProperty("randomStep", g.randomStep());
        m.addProperty("batchSize", fit.batchSize());
        m.addProperty("seed", fit.seed());
        JsonObject opt = new JsonObject();
        opt.addProperty("kind", state.optimizer().kind());
        opt.addProperty("iterations", state.optimizer().iterations());
        double lr = state.optimizer().learningRateOverride();
        if (!Double.isNaN(lr)) {
            opt.addProperty("learningRate", lr);
        }
        opt.add("slots", slotNames);
        m.add("optimizer", opt);
        JsonArray history = new JsonArray();
        for (Map<String, Double> r : records) {
            JsonObject o = new JsonObject();
            r.forEach(o::addProperty);
            history.add(o);
        }
        m.add("history", history);
        AtomicFiles.writeString(dir.resolve(MANIFEST), GSON.toJson(m));
        // older epochs, and what writes killed half-way left behind (their temporaries, an uncommitted epoch)
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "{epoch-*.safetensors,.epoch-*.tmp,.backup.json.*.tmp}")) {
            for (Path p : old) {
                if (!p.getFileName().toString().equals(tensorFile)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String format(int[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
