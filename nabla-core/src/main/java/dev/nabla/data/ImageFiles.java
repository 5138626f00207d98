package dev.nabla.data;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files (PNG, JPEG, and whatever else {@link ImageIO} reads) as a model's input: converted to grey, resized to
 * the size the model was trained on, and scaled to [0, 1] as the training images were (0 black, 1 white).
 */
public final class ImageFiles {
    /**
     * The most pixels an image may have: 2²⁵ (a 24-megapixel photo fits), so that a file whose header claims a
     * huge image is refused before its decoder allocates the pixels, rather than failing for lack of memory.
     */
    public static final long MAX_PIXELS = 1L << 25;

    private ImageFiles() {
    }

    /**
     * The image in {@code file} as {@code height × width} grey values in [0, 1], row by row. Colour becomes grey by
     * the luma weights of ITU-R BT.601 (0.299 R + 0.587 G + 0.114 B); a grey image keeps its values exactly. An image
     * of another size is resized with bilinear interpolation.
     *
     * @throws MalformedDataException when the file is not an image ImageIO can read, is damaged, or has more than
     *                                {@link #MAX_PIXELS} pixels
     */
    public static float[] grey(Path file, int height, int width) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        BufferedImage image = rgb(decode(file));
        if (image.getWidth() != width || image.getHeight() != height) {
            BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            var g = resized.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
            g.dispose();
            image = resized;
        }
        float[] out = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int gr = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                double luma = r == gr && gr == b ? r : 0.299 * r + 0.587 * gr + 0.114 * b;
                out[y * width + x] = (float) (luma / 255.0);
            }
        }
        return out;
    }

    /**
     * The image in {@code file}, its size checked against {@link #MAX_PIXELS} before its pixels are decoded. ImageIO's
     * decoders meet a damaged file with an IOException or, as often, with an unchecked exception of their own (an
     * index out of bounds, an illegal argument): both become a MalformedDataException that names the file.
     */
    private static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new MalformedDataException(file + " is not an image this JVM reads (PNG, JPEG, GIF, BMP): give "
                        + "the images as PNG or JPEG files");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int imageWidth = reader.getWidth(0);
                int imageHeight = reader.getHeight(0);
                if ((long) imageWidth * imageHeight > MAX_PIXELS) {
                    throw new MalformedDataException(file + " is an image of " + imageWidth + "×" + imageHeight
                            + " pixels, more than the " + MAX_PIXELS + " an input image may have: scale it down to "
                            + "about the size the model was trained on first");
                }
                return reader.read(0);
            } catch (MalformedDataException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new MalformedDataException(file + " is a damaged " + reader.getFormatName() + " image, which "
                        + "this JVM cannot decode (" + e + "): give an undamaged PNG or JPEG file", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * The image with its grey values as RGB, taken from the raster as stored: a grey PNG comes with a linear grey
     * colour space, which Java 2D would brighten on its way to sRGB, while its values are meant as they are.
     */
    private static BufferedImage rgb(BufferedImage image) {
        if (image.getColorModel().getColorSpace().getType() != java.awt.color.ColorSpace.TYPE_GRAY) {
            return image;
        }
        var raster = image.getRaster();
        int max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int v = (int) Math.round(raster.getSample(x, y, 0) * 255.0 / max);
                out.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return out;
    }
}
