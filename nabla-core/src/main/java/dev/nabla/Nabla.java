package dev.nabla;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts about this build of Nabla, for {@code --version}, reports and saved files. */
public final class Nabla {
    private static final String VERSION = readVersion();

    private Nabla() {
    }

    /** The version of this build, such as {@code 0.1.0-SNAPSHOT}, as the Maven build wrote it. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Nabla.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
