package dev.tapgrad.spark;

import static dev.tapgrad.spark.SparkFitTest.assertSameHistory;
import static dev.tapgrad.spark.SparkFitTest.assertSameWeights;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Optimizer;
import dev.tapgrad.runtime.optim.Updater;
import dev.tapgrad.spark.models.MlpGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Local steps with parameter averaging: fit itself on one partition, and it learns on two. */
class ParameterAveragingTest {
    @Test
    void onOnePartitionItIsFitWhateverTheAveragingInterval() {
        // one shard draws fit's order and keeps its Adam state across rounds; averaging one shard changes nothing
        Dataset train = Data.classes(200, 1);
        Fit fit = Fit.epochs(2).batchSize(32).optimizer(Adam.lr(3e-3)).seed(7).verbose(false);
        MlpGraph local = new MlpGraph(11);
        MlpGraph spark = new MlpGraph(11);
        History expected = local.fit(train, fit);
        History actual = SparkFit.on(LocalSpark.context()).partitions(1).averageEvery(3, () -> Adam.lr(3e-3))
                .fit(spark, train, fit);
        assertSameHistory(withoutLearningRate(expected), actual);   // no single optimizer's rate when averaging
        assertSameWeights(local, spark);
    }

    @Test
    void onTwoPartitionsItLearns() {
        Dataset train = Data.classes(400, 1);
        Dataset test = Data.classes(200, 2);
        Fit fit = Fit.epochs(4).batchSize(32).optimizer(Adam.lr(1e-2)).validation(test).seed(7).verbose(false);
        History h = SparkFit.on(LocalSpark.context()).partitions(2).averageEvery(4, () -> Adam.lr(1e-2))
                .fit(new MlpGraph(11), train, fit);
        assertTrue(h.get("loss").get(3) < h.get("loss").get(0), h.get("loss").toString());
        assertTrue(h.last("val_accuracy") > 0.7, "val_accuracy " + h.last("val_accuracy"));
    }

    @Test
    void fitsOwnOptimizerTravelsWithoutAFactoryScheduleLambdaIncluded() {
        // the built-in optimizers and a Schedule lambda are Serializable: on one partition this is fit again
        Dataset train = Data.classes(64, 1);
        Fit fit = Fit.epochs(1).batchSize(16).optimizer(Adam.lr(step -> 3e-3 / (1 + step))).seed(7).verbose(false);
        MlpGraph local = new MlpGraph(11);
        MlpGraph spark = new MlpGraph(11);
        History expected = local.fit(train, fit);
        History actual = SparkFit.on(LocalSpark.context()).partitions(1).averageEvery(2).fit(spark, train, fit);
        assertSameHistory(withoutLearningRate(expected), actual);
        assertSameWeights(local, spark);
    }

    @Test
    void anOptimizerThatCannotTravelIsAClearError() {
        Dataset train = Data.classes(16, 1);
        Optimizer own = new Optimizer() { // an anonymous class of a test: not Serializable
            @Override
            public Updater start(List<Parameter> params) {
                return Adam.lr(1e-3).start(params);
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkFit.on(LocalSpark.context())
                .averageEvery(2).fit(new MlpGraph(1), train, Fit.epochs(1).optimizer(own).verbose(false)));
        assertTrue(e.getMessage().contains("not Serializable") && e.getMessage().contains("averageEvery(2, () -> Adam.lr(1e-3))"),
                e.getMessage());
    }

    private static History withoutLearningRate(History h) {
        List<Map<String, Double>> records = new ArrayList<>();
        for (int e = 0; e < h.epochs(); e++) {
            Map<String, Double> r = new LinkedHashMap<>();
            for (String key : h.keys()) {
                if (!key.equals("learning_rate")) {
                    r.put(key, h.get(key).get(e));
                }
            }
            records.add(r);
        }
        return History.of(records);
    }
}
