package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** What Spark 4.2 needs from the class path that Nabla shares with it. */
class SparkClasspathTest {
    @Test
    void jacksonStaysOnTheLineSparkAccepts() {
        // Spark 4.2.0 refuses jackson-databind outside [2.21.0, 2.22.0) at start-up; Nabla's own JSON uses the same
        Version jackson = PackageVersion.VERSION;
        assertEquals(2, jackson.getMajorVersion(), jackson.toString());
        assertEquals(21, jackson.getMinorVersion(), jackson + ": keep jackson.version on 2.21.x while Spark is 4.2");
        try (JavaSparkContext spark = SparkShardsTest.spark("local[1]")) {
            List<String> json = org.apache.spark.sql.SparkSession.builder().sparkContext(spark.sc()).getOrCreate()
                    .range(3).toJSON().collectAsList();
            assertEquals(List.of("{\"value\":0}", "{\"value\":1}", "{\"value\":2}"), json);
        }
    }
}
