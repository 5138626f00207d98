package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What Spark 4.2 needs from the class path that Nabla shares with it. */
class SparkClasspathTest {
    @RegisterExtension
    static final LocalSpark SPARK = LocalSpark.threads(2);

    @Test
    void jacksonStaysOnTheLineSparkAccepts() {
        // Spark 4.2.0 refuses jackson-databind outside [2.21.0, 2.22.0) when it first maps JSON (its Scala module
        // checks); Nabla's own JSON uses the same
        Version jackson = PackageVersion.VERSION;
        assertEquals(2, jackson.getMajorVersion(), jackson.toString());
        assertEquals(21, jackson.getMinorVersion(), jackson + ": keep jackson.version on 2.21.x while Spark is 4.2");
    }

    @Test
    void sparksJsonWorksWithItADataFrameGoesToJsonAndBack() {
        Dataset<String> json = SPARK.session().range(3).selectExpr("id", "id / 4 AS quarter", "'n' || id AS name")
                .toJSON();
        assertEquals(List.of("{\"id\":0,\"quarter\":0.0,\"name\":\"n0\"}",
                "{\"id\":1,\"quarter\":0.25,\"name\":\"n1\"}", "{\"id\":2,\"quarter\":0.5,\"name\":\"n2\"}"),
                json.collectAsList());
        Dataset<Row> back = SPARK.session().read().json(json).orderBy("id");
        assertEquals("struct<id:bigint,name:string,quarter:double>", back.schema().simpleString());
        assertEquals(List.of("[0,n0,0.0]", "[1,n1,0.25]", "[2,n2,0.5]"),
                back.collectAsList().stream().map(Row::toString).toList());
    }
}
