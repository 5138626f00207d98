package dev.nabla.cli;

import dev.nabla.cli.values.Heap;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns what went wrong into the sentence the user reads. Most of the library's exceptions say what is wrong and
 * what to do already; a file-system exception's message is often only a path, which must never be all the user sees.
 */
final class Failures {
    private Failures() {
    }

    /** One line that says what went wrong. */
    static String message(Throwable e) {
        if (e instanceof FileSystemException fs) {
            String file = fs.getFile() == null ? "" : fs.getFile();
            String other = fs.getOtherFile() == null ? "" : " → " + fs.getOtherFile();
            String reason = reason(fs);
            String message = fs.getMessage() == null ? "" : fs.getMessage();
            // a message beyond the path and the reason is the library's own sentence: keep it whole
            if (!message.isBlank() && !message.equals(file) && !message.startsWith(file + other + ": " + reason)
                    && !message.startsWith(file + ": " + reason)) {
                return message;
            }
            return file + other + ": " + reason;
        }
        if (e instanceof OutOfMemoryError) {
            return outOfMemory();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() + " (no message; set NABLA_DEBUG=1 for the "
                + "stack trace)" : m;
    }

    /** Why a file operation failed, in words: the system's reason, else what the exception's type says. */
    static String reason(FileSystemException e) {
        if (e.getReason() != null && !e.getReason().isBlank()) {
            return e.getReason().toLowerCase(Locale.ROOT);
        }
        return switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or directory";
            case FileAlreadyExistsException f -> "a file of that name is already there";
            case NotDirectoryException n -> "not a directory";
            case DirectoryNotEmptyException d -> "the directory is not empty";
            default -> "the file system refused (" + e.getClass().getSimpleName() + ")";
        };
    }

    /** What running out of heap means here, with the heap's size and how to raise it. */
    static String outOfMemory() {
        return "ran out of memory: the JVM's heap of " + Heap.gib(Runtime.getRuntime().maxMemory()) + " is full. Use "
                + "smaller layers or batches, or give the JVM more, e.g. NABLA_JAVA_OPTS=-Xmx16g ./nabla …";
    }
}
