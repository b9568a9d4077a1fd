package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Sgd;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Fit.backupTo}: a run killed with SIGKILL in the middle of an epoch and run again ends at
 * the weights of an uninterrupted run, bit for bit; a folder of another model or shape is refused
 * before anything changes.
 */
class BackupTest {
    /** 6 epochs of 60 batches, Adam with a decaying schedule and ReduceLr-free state, validation split. */
    static final Fit FIT = Fit.epochs(6).batchSize(10).seed(11).verbose(false).validationSplit(0.2)
            .optimizer(Adam.lr(0.01));

    /** Many one-batch epochs: a child training this spends most of its time writing backups. */
    static final Fit FAST = Fit.epochs(150).batchSize(64).seed(2).verbose(false).optimizer(Sgd.lr(0.05).momentum(0.9));

    @TempDir
    Path tmp;

    static Dataset fastData() {
        return TrainerTest.blobs(48, 9);
    }

    private Process child(Path dir, String... more) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BackupChild.class.getName(), dir.toString(),
                tmp.resolve("child.safetensors").toString()));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static Dataset data() {
        return TrainerTest.blobs(750, 5);
    }

    @Test
    void aRunKilledMidEpochResumesToTheBitsOfAnUninterruptedRun() throws Exception {
        TestGraph uninterrupted = ToolkitTest.classifier();
        History full = Trainer.fit(uninterrupted, data(), FIT);

        Path dir = tmp.resolve("backup");
        Process child = child(dir);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("3 30")) {
                // wait for the middle of epoch 3
            }
            assertEquals("3 30", line, "the child ended before the middle of epoch 3");
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        String manifest = Files.readString(dir.resolve(Backup.MANIFEST));
        assertTrue(manifest.contains("\"epoch\": 2"), manifest);
        assertTrue(Files.exists(dir.resolve("epoch-2.safetensors")));

        TestGraph resumed = ToolkitTest.classifier();
        History h = Trainer.fit(resumed, data(), FIT.backupTo(dir));
        ToolkitTest.assertSameBits(ToolkitTest.weights(uninterrupted), ToolkitTest.weights(resumed));
        assertEquals(full.get("loss"), h.get("loss"));
        assertEquals(full.get("val_accuracy"), h.get("val_accuracy"));
        assertEquals(uninterrupted.training.optimizer().iterations(), resumed.training.optimizer().iterations());

        // running the completed fit again restores its end and trains nothing
        TestGraph again = ToolkitTest.classifier();
        Trainer.fit(again, data(), FIT.backupTo(dir));
        assertEquals(0, again.trainCalls);
        ToolkitTest.assertSameBits(ToolkitTest.weights(uninterrupted), ToolkitTest.weights(again));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("backup.json", "epoch-6.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void killedAtRandomMomentsWhileWritingBackupsTheFolderStaysWholeAndTheRunEndsAsAnUninterruptedOne() throws Exception {
        TestGraph uninterrupted = ToolkitTest.classifier();
        Trainer.fit(uninterrupted, fastData(), FAST);
        Path dir = tmp.resolve("fast");
        java.util.Random random = new java.util.Random(12);
        int lastEpoch = 0;
        int kills = 0;
        int duringWrites = 0;
        for (int round = 0; round < 12; round++) {
            Process p = child(dir, "fast");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                // the JVM's start takes long and varies: count from the second epoch this child runs
                String line = out.readLine();
                line = line == null ? null : out.readLine();
                assertTrue(line != null && line.startsWith("epoch "), "round " + round + ": " + line);
                Thread.sleep(random.nextInt(40));
                if (p.isAlive()) {
                    kills++;
                }
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            }
            try (var files = Files.list(dir)) {
                // a temporary or a second epoch file: the kill came in the middle of writing a backup
                if (files.filter(f -> !f.getFileName().toString().equals(Backup.MANIFEST)).count() > 1) {
                    duringWrites++;
                }
            }
            // whatever moment the kill hit, the folder holds a whole backup that matches the fit
            Backup backup = Backup.open(dir, ToolkitTest.classifier(), FAST.backupTo(dir));
            if (Files.exists(dir.resolve(Backup.MANIFEST))) {
                assertTrue(backup.exists());
                TestGraph probe = ToolkitTest.classifier();
                int epoch = backup.restore(probe, new TrainingState(), new java.util.ArrayList<>());
                assertTrue(epoch >= lastEpoch, "round " + round + ": epoch " + epoch + " after " + lastEpoch);
                lastEpoch = epoch;
            }
        }
        assertTrue(kills >= 6, "only " + kills + " children were still running when killed");
        assertTrue(lastEpoch > 0 && lastEpoch < 150, "the kills left epoch " + lastEpoch);
        assertTrue(duringWrites >= 1, "no kill came while a backup was being written");
        TestGraph resumed = ToolkitTest.classifier();
        History h = Trainer.fit(resumed, fastData(), FAST.backupTo(dir));
        assertEquals(150, h.epochs());
        ToolkitTest.assertSameBits(ToolkitTest.weights(uninterrupted), ToolkitTest.weights(resumed));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("backup.json", "epoch-150.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aBackupOfAnotherModelOrShapeOrRunIsRefusedBeforeTraining() {
        Path dir = tmp.resolve("b");
        Dataset data = TrainerTest.blobs(40, 1);
        Fit fit = Fit.epochs(2).verbose(false).backupTo(dir);
        Trainer.fit(ToolkitTest.classifier(), data, fit);

        TestGraph other = new TestGraph("Other", new int[] {2}, 3, LossKind.CATEGORICAL_CROSSENTROPY, 0.01, Metric.ACCURACY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(other, data, fit));
        assertEquals("Fit.backupTo(" + dir + "): the folder holds a backup of Blobs, not of Other; pass another folder, "
                + "or delete it to start a new backup. Nothing was trained.", e.getMessage());

        TestGraph wider = new TestGraph("Blobs", new int[] {4}, 3, LossKind.CATEGORICAL_CROSSENTROPY, 0.01, Metric.ACCURACY);
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(wider, TrainerTest.blobs(40, 1).x().dim(1) == 2
                ? Dataset.of(dev.tapgrad.runtime.Tensor.zeros(40, 4), data.y()) : data, fit));
        assertTrue(e.getMessage().contains("dense.kernel has shape (2, 3) there but (4, 3) in Blobs"), e.getMessage());
        assertTrue(e.getMessage().contains("optimizer/m/dense.kernel has shape (2, 3) there but (4, 3)"), e.getMessage());
        assertEquals(0, wider.trainCalls);

        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(ToolkitTest.classifier(), data,
                fit.batchSize(8).optimizer(Sgd.lr(0.1))));
        assertTrue(e.getMessage().contains("it was trained with Adam, this fit uses Sgd"), e.getMessage());
        assertTrue(e.getMessage().contains("it was made with batchSize 32, this fit has 8"), e.getMessage());
    }

    @Test
    void hostileManifestsAreRefusedBeforeAnythingChanges() throws Exception {
        Path dir = tmp.resolve("h");
        Trainer.fit(ToolkitTest.classifier(), TrainerTest.blobs(40, 1), Fit.epochs(2).verbose(false).backupTo(dir));
        String good = Files.readString(dir.resolve(Backup.MANIFEST));
        String[][] edits = {
                {"\"file\": \"epoch-2.safetensors\"", "\"file\": \"../../outside.safetensors\""},
                {"\"file\": \"epoch-2.safetensors\"", "\"file\": \"epoch-7.safetensors\""},
                {"\"epoch\": 2", "\"epoch\": -1"},
                {"\"epoch\": 2", "\"epoch\": \"two\""},
                {"\"iterations\": 4", "\"iterations\": -4"},
                {"\"randomStep\"", "\"randomStepX\""},
                {"\"history\": [", "\"history\": [\"x\","},
                {"\"slots\": [", "\"slots\": [\"ghost\","},
                {"tapgrad-backup-1", "tapgrad-backup-9"},
                {"{", "["},
        };
        for (String[] edit : edits) {
            assertTrue(good.contains(edit[0]), edit[0] + " in " + good);
            Files.writeString(dir.resolve(Backup.MANIFEST), good.replaceFirst(java.util.regex.Pattern.quote(edit[0]),
                    java.util.regex.Matcher.quoteReplacement(edit[1])));
            TestGraph g = ToolkitTest.classifier();
            float before = g.kernel.value().buffer()[0];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.fit(g, TrainerTest.blobs(40, 1), Fit.epochs(2).verbose(false).backupTo(dir)), edit[1]);
            assertTrue(e.getMessage().startsWith("Fit.backupTo(" + dir + "): "), e.getMessage());
            assertEquals(before, g.kernel.value().buffer()[0]);
            assertEquals(0, g.trainCalls);
        }
        // a truncated tensor file
        Files.writeString(dir.resolve(Backup.MANIFEST), good);
        byte[] tensors = Files.readAllBytes(dir.resolve("epoch-2.safetensors"));
        Files.write(dir.resolve("epoch-2.safetensors"), java.util.Arrays.copyOf(tensors, tensors.length - 5));
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(ToolkitTest.classifier(), TrainerTest.blobs(40, 1), Fit.epochs(2).verbose(false).backupTo(dir)));
    }

    @Test
    void anUnreadableManifestIsAClearError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve(Backup.MANIFEST), "{\"format\": \"tapgrad-backup-1\", \"file\": \"missing.safetensors\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(ToolkitTest.classifier(), TrainerTest.blobs(10, 1), Fit.epochs(1).verbose(false).backupTo(dir)));
        assertTrue(e.getMessage().startsWith("Fit.backupTo(" + dir + "): the backup there cannot be read"), e.getMessage());
    }
}
