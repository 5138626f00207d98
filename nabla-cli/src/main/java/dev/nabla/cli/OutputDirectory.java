package dev.nabla.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory a command will write into when its work is done ({@code --report}, {@code --checkpoint}), proved
 * usable before the work starts, so that a bad path costs a second, not the run. The proof leaves nothing behind:
 * the directories it had to make are removed again, and made for good by whatever writes into them.
 */
final class OutputDirectory {
    private OutputDirectory() {
    }

    /**
     * Makes {@code dir}, writes and deletes a file in it, and removes what it made; or fails with a sentence that
     * names {@code option} and the path, says what is wrong and what to give instead.
     *
     * @param option the flag that gave the path, e.g. {@code --report DIR}: the message starts with it
     * @param holds  what goes into the directory, for when a file is in the way: {@code the report is eval.html}
     */
    static void prove(String option, Path dir, String holds) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(option + " is a file; " + holds + " in a directory: give the path of a "
                    + "directory, new or existing");
        }
        List<Path> made = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && Files.notExists(p); p = p.getParent()) {
            made.add(p);
        }
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".nabla-write-test", ".tmp"));
        } catch (FileSystemException e) {
            throw new IOException(option + ": cannot write into " + dir + " (" + Failures.reason(e)
                    + (e.getFile() != null && !Path.of(e.getFile()).equals(dir) ? " at " + e.getFile() : "")
                    + "): give a directory you can write to", e);
        } finally {
            for (Path p : made) {   // deepest first; none is there when the path runs into a file
                if (Files.isDirectory(p)) {
                    Files.delete(p);
                }
            }
        }
    }
}
