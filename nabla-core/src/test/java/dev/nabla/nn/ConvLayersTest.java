package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.ModelDescription;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The convolutional layers' shapes, names, initialisation and messages, and the CNN a spec describes. */
class ConvLayersTest {
    @Test
    void conv2dHasPyTorchsParametersInitialisationAndOutputSize() {
        Conv2d conv = new Conv2d(4, 8, 3, Conv2d.Options.defaults().withStride(2).withPadding(1).withGroups(2),
                new Rng(3));
        assertEquals(Shape.of(8, 2, 3, 3), conv.namedParameters().get("weight").shape());
        assertEquals(Shape.of(8), conv.namedParameters().get("bias").shape());
        double bound = 1 / Math.sqrt(2 * 9);   // fan_in = in/groups · kH · kW
        for (Tensor p : conv.parameters()) {
            for (float v : p.data()) {
                assertTrue(Math.abs(v) <= bound, v + " outside ±1/√fan_in");
            }
        }
        assertEquals(Shape.of(5, 8, 4, 3), conv.forward(Tensor.ones(5, 4, 7, 6)).shape());
        assertEquals("Conv2d(4, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), groups=2)", conv.toString());
    }

    @Test
    void samePaddingKeepsTheSizeEvenForAnEvenKernel() {
        Conv2d conv = new Conv2d(1, 2, 4, 2, Conv2d.Options.defaults().withSamePadding().withBias(false), new Rng(1));
        assertEquals(Shape.of(3, 2, 7, 5), conv.forward(Tensor.ones(3, 1, 7, 5)).shape());
        assertEquals(1, conv.window().padTop());
        assertEquals(2, conv.window().padBottom(), "PyTorch pads the extra row at the bottom");
        assertEquals(List.of("weight"), List.copyOf(conv.namedParameters().keySet()));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.Options.defaults().withStride(2).withSamePadding());
    }

    @Test
    void aWrongInputSaysWhatTheLayerExpects() {
        Conv2d conv = new Conv2d(3, 4, 3);
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.ones(2, 27)));
        assertEquals("Conv2d(3→4) got input [2, 27]: expected [N, 3, H, W]; reshape flat images first, "
                + "x.reshape(N, 3, H, W)", flat.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, Conv2d.Options.defaults()
                .withGroups(2), new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(0));
    }

    @Test
    void poolingLayersAndChannelDropoutShapeAsPyTorch() {
        Tensor x = Tensor.ones(2, 3, 9, 7);
        assertEquals(Shape.of(2, 3, 4, 3), new MaxPool2d(2).forward(x).shape());
        assertEquals(Shape.of(2, 3, 5, 4), new MaxPool2d(3, 2, 1).forward(x).shape());
        assertEquals(Shape.of(2, 3, 3, 2), new AvgPool2d(3).forward(x).shape());
        assertEquals(Shape.of(2, 3, 1, 1), new AdaptiveAvgPool2d(1).forward(x).shape());
        Dropout2d dropout = new Dropout2d(0.5f, new Rng(2));
        dropout.eval();
        assertEquals(x, dropout.forward(x));
        assertEquals(List.of("generator"), List.copyOf(dropout.namedGenerators().keySet()));
    }

    @Test
    void theTwinsCnnHasItsParameterNamesAndCount() {
        CnnSpec spec = new CnnSpec(28, 28, CnnSpec.DEFAULT_CHANNELS, CnnSpec.DEFAULT_HIDDEN, 10, true, 0);
        Sequential model = spec.build(new Rng(0));
        assertEquals(spec.parameterCount(), model.parameterCount());
        assertEquals(421_834, spec.parameterCount(), "PyTorch's count of the same nn.Sequential");
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias", "5.weight", "5.bias",
                "9.weight", "9.bias", "11.weight", "11.bias"), List.copyOf(model.namedParameters().keySet()));
        assertTrue(model.namedState().containsKey("5.running_var"));
        assertEquals(Shape.of(3, 10), model.forward(Tensor.ones(3, 784)).shape());
        assertEquals("28×28-c32-c64-128-10 relu+bn", spec.toString());
        assertEquals(3136, spec.flatFeatures());
        IllegalArgumentException tooDeep = assertThrows(IllegalArgumentException.class,
                () -> new CnnSpec(8, 8, List.of(8, 8, 8, 8), List.of(), 10, false, 0));
        assertTrue(tooDeep.getMessage().contains("halved to nothing by 4 convolution blocks"), tooDeep.getMessage());
    }

    @Test
    void aCnnWhoseImageBecomesMoreValuesThanAnArrayHoldsIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CnnSpec(1 << 30, 1 << 30, List.of(4), List.of(), 10, false, 0));

        assertTrue(e.getMessage().contains("more values after its convolution blocks than an array holds"),
                e.getMessage());
    }

    @Test
    void aCnnsDescriptionRebuildsIt() {
        CnnSpec spec = new CnnSpec(8, 8, List.of(16, 32), List.of(64), 10, false, 0.25);
        ModelDescription d = new ModelDescription(spec, 64, List.of(8, 8), List.of(),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "digits");
        assertEquals(d, ModelDescription.fromJson(d.toJson()));
    }
}
