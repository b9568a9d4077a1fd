package dev.tapgrad.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The tests' one Spark context, inside the test JVM: two worker threads, loopback only, no UI, and
 * a task may fail twice before its job fails ({@code local[2,2]}), so a lost task is retried once.
 */
final class LocalSpark {
    private static JavaSparkContext sc;

    private LocalSpark() {}

    static synchronized JavaSparkContext context() {
        if (sc == null) {
            SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("tapgrad-spark-tests")
                    .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.enabled", "false");
            sc = new JavaSparkContext(conf);
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }
}
