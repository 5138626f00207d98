package dev.nabla.data;

import java.io.IOException;

/**
 * A data file whose contents break its format: a wrong magic number, a truncated body, a CSV row with a missing
 * column. The message names the file and where in it (byte offset or line) the problem was found, and what was
 * expected there.
 */
public final class MalformedDataException extends IOException {

    /** An error whose message already names the file and the place. */
    public MalformedDataException(String message) {
        super(message);
    }

    /** An error caused by a lower-level failure, such as a corrupt gzip stream. */
    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
