package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.spark.SparkFit;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class SparkTrainingTest {
    @Test
    void sparkOnLocal2TrainsTheMlpToTheSingleProcessResult() {
        Random r = new Random(3);
        Tensor x = Tensor.randn(r, 300, 12);
        int[] labels = new int[300];
        for (int i = 0; i < 300; i++) {
            labels[i] = (x.get(i, 0) > 0 ? 1 : 0) + (x.get(i, 1) > 0 ? 2 : 0);
        }
        Dataset train = Dataset.of(x, Dataset.oneHot(labels, 4));
        Fit fit = Fit.epochs(3).batchSize(32).optimizer(Adam.lr(1e-2)).seed(5).verbose(false);
        ClassifierGraph single = new ClassifierGraph(1);
        ClassifierGraph spark = new ClassifierGraph(1);
        History expected = single.fit(train, fit);
        History actual;
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("user").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            actual = SparkFit.fit(sc, spark, train, fit);
        }
        for (String key : expected.keys()) {
            assertEquals(expected.last(key), actual.last(key), 1e-5 * Math.abs(expected.last(key)), key);
        }
        float[] a = single.predict(x).toArray();
        float[] b = spark.predict(x).toArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5, "prediction " + i);
        }
        assertTrue(expected.last("accuracy") > 0.8, "it learned: " + expected.last("accuracy"));
        System.out.println("single " + expected.last("loss") + " " + expected.last("accuracy") + " / spark " + actual.last("loss") + " " + actual.last("accuracy"));
    }
}
