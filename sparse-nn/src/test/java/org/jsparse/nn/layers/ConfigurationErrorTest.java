package org.jsparse.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jsparse.core.kmap.CoordinateManager;
import org.jsparse.nn.Initializer;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.testing.NnTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad configurations fail with messages that say what is wrong; initialization is seeded. */
class ConfigurationErrorTest {
  private static void fails(Executable e, String expectedFragment) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(expectedFragment), "message '" + ex.getMessage() + "' lacks '" + expectedFragment + "'");
  }

  @Test
  void channelDimensionAndManagerMismatches() {
    Random rnd = new Random(1);
    try (CoordinateManager cm = new CoordinateManager(3); CoordinateManager other = new CoordinateManager(3)) {
      Variable x = Variable.of(NnTesting.randomTensor(cm, rnd, 10, 4, 5), false);
      Variable y = Variable.of(NnTesting.randomTensor(other, rnd, 10, 4, 5), false);
      Convolution c = Convolution.builder().setChannels(3, 8).setDimension(3).setKernelSize(3).build();
      fails(() -> c.forward(x), "expects 3 input channels but the input has 4");
      Convolution c2 = Convolution.builder().setChannels(4, 8).setDimension(2).setKernelSize(3).build();
      fails(() -> c2.forward(x), "built for D=2 but the input has D=3");
      fails(() -> new BatchNorm(5).forward(x), "expects 5 input channels but the input has 4");
      fails(() -> new Add().forward(x, y), "different CoordinateManagers");
      fails(() -> new Concat().forward(x, y), "different CoordinateManagers");
      fails(() -> new Linear(3, 2).forward(x), "expects 3 input channels");
    }
  }

  @Test
  void incompleteBuildersSayWhatIsMissing() {
    fails(() -> Convolution.builder().setDimension(3).setKernelSize(3).build(), "setChannels");
    fails(() -> Convolution.builder().setChannels(1, 2).setKernelSize(3).build(), "setDimension");
    fails(() -> Convolution.builder().setChannels(1, 2).setDimension(3).build(), "setKernelSize");
    fails(() -> Convolution.builder().setChannels(1, 2).setDimension(3).setKernelSize(3, 3).build(), "one per axis");
    fails(() -> new Dropout(1.0, 0), "[0, 1)");
  }

  @Test
  void initializationDependsOnlyOnTheSeed() {
    Convolution a = Convolution.builder().setChannels(4, 8).setDimension(3).setKernelSize(3).optSeed(7).build();
    Convolution b = Convolution.builder().setChannels(4, 8).setDimension(3).setKernelSize(3).optSeed(7).build();
    Convolution c = Convolution.builder().setChannels(4, 8).setDimension(3).setKernelSize(3).optSeed(8).build();
    assertEquals(a.weight().data(), b.weight().data());
    assertFalse(a.weight().data().equals(c.weight().data()));
    double std = a.weight().data().stdNumber().doubleValue();
    assertEquals(Math.sqrt(2.0 / (27 * 4)), std, 0.1 * std, "Kaiming normal std sqrt(2 / fanIn)");
    Convolution x = Convolution.builder().setChannels(4, 8).setDimension(3).setKernelSize(3)
        .optInitializer(Initializer.xavierUniform()).build();
    double bound = Math.sqrt(6.0 / (27 * 4 + 27 * 8));
    assertTrue(x.weight().data().amaxNumber().doubleValue() <= bound);
    assertTrue(x.weight().data().amaxNumber().doubleValue() > 0.9 * bound);
  }
}
