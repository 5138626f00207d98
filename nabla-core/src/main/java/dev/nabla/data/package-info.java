/**
 * Labelled data in memory and the readers that fill it.
 *
 * <p>{@link Dataset} holds samples and labels; {@link DataLoader} cuts it into
 * {@link Batch}es, shuffled with a seed. The sources: {@link Digits} (bundled in
 * the jar), {@link FashionMnist} and any directory of MNIST-style {@link Idx} files,
 * all reachable by name through {@link Datasets}.
 *
 * <p>Bad files fail with an {@link java.io.IOException} that names the file and the byte offset or line:
 * {@link java.nio.file.NoSuchFileException} when a file is missing, {@link MalformedDataException}
 * when its contents break the format.
 */
package dev.nabla.data;
