package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.io.Checkpoints;
import java.nio.file.Path;

/**
 * The child JVM of BackupTest: trains {@link BackupTest#FIT} with a backup folder, printing
 * "epoch batch" after every batch (slowed down so the parent can kill it mid-epoch), then saves the
 * weights. Arguments: the backup folder, the weights file, and optionally {@code fast}: then it
 * trains {@link BackupTest#FAST} (one batch per epoch, so most of its time is spent writing
 * backups), printing "epoch N" as each epoch begins, without sleeping.
 */
public final class BackupChild {
    private BackupChild() {}

    public static void main(String[] args) throws Exception {
        TestGraph g = ToolkitTest.classifier();
        if (args.length > 2 && args[2].equals("fast")) {
            Callback progress = new Callback() {
                @Override
                public void onEpochBegin(int epoch, TrainingControl control) {
                    System.out.println("epoch " + epoch);
                    System.out.flush();
                }
            };
            Trainer.fit(g, BackupTest.fastData(), BackupTest.FAST.backupTo(Path.of(args[0])).callbacks(progress));
            Checkpoints.save(Path.of(args[1]), g.parameters());
            return;
        }
        Trainer.fit(g, BackupTest.data(), BackupTest.FIT.backupTo(Path.of(args[0])).onBatchEnd((epoch, batch, terms) -> {
            System.out.println(epoch + " " + batch);
            System.out.flush();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Checkpoints.save(Path.of(args[1]), g.parameters());
    }
}
