/**
 * Labelled data in memory and the readers that fill it.
 *
 * <p>{@link dev.nabla.data.Dataset} holds samples and labels; {@link dev.nabla.data.DataLoader} cuts it into
 * {@link dev.nabla.data.Batch}es, shuffled with a seed. The sources: {@link dev.nabla.data.Digits} (bundled in
 * the jar), {@link dev.nabla.data.FashionMnist} and any directory of MNIST-style {@link dev.nabla.data.Idx} files,
 * all reachable by name through {@link dev.nabla.data.Datasets}.
 *
 * <p>Bad files fail with an {@link java.io.IOException} that names the file and the byte offset or line:
 * {@link java.nio.file.NoSuchFileException} when a file is missing, {@link dev.nabla.data.MalformedDataException}
 * when its contents break the format.
 */
package dev.nabla.data;
