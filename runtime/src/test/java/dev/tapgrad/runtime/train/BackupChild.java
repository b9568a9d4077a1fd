package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.io.Checkpoints;
import java.nio.file.Path;

/**
 * The child JVM of BackupTest: trains {@link BackupTest#FIT} with a backup folder, printing
 * "epoch batch" after every batch (slowed down so the parent can kill it mid-epoch), then saves the
 * weights. Arguments: the backup folder, the weights file.
 */
public final class BackupChild {
    private BackupChild() {}

    public static void main(String[] args) throws Exception {
        TestGraph g = ToolkitTest.classifier();
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
