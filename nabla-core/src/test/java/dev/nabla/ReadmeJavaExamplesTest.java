package dev.nabla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of the README compiles against this build, imports and all, as a reader would paste it: a
 * block with a {@code main} method as a source file of its own, any other block's statements inside a method.
 */
class ReadmeJavaExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaExampleCompiles(@TempDir Path dir) throws IOException {
        String readme = Files.readString(SourceRulesTest.root().resolve("README.md"), StandardCharsets.UTF_8);
        List<Path> sources = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            String name = "ReadmeExample" + sources.size();
            sources.add(Files.writeString(dir.resolve(name + ".java"), source(name, block.group(1))));
        }
        assertTrue(sources.size() >= 4, "found only " + sources.size() + " Java examples in the README");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "25", "--add-modules", "jdk.incubator.vector",
                "-proc:none", "-d", dir.resolve("classes").toString(), "-cp", System.getProperty("java.class.path")));
        sources.forEach(s -> args.add(s.toString()));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertEquals(0, status, "a README example does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
    }

    /** The block as a compilation unit: as it is when it has a main method, else its statements in a method. */
    private static String source(String name, String block) {
        if (block.contains("void main(")) {
            return block;
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : block.split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        return imports + "class " + name + " {\n    void run() throws Exception {\n" + body + "    }\n}\n";
    }
}
