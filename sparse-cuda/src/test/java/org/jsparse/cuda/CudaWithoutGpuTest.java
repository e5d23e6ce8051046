package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jsparse.core.backend.Backends;
import org.junit.jupiter.api.Test;

/** What holds on any machine: discovery through ServiceLoader, the refusal without a GPU, the allocator's size classes. */
class CudaWithoutGpuTest {
  @Test
  void theBackendIsFoundOnTheClassPathAndRefusesClearlyWithoutAGpu() {
    assumeTrue(CudaBackendProvider.GpuProbe.deviceCount() == 0, "a GPU is present: CudaBackendTest covers it");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("cuda", 0));
    assertTrue(e.getMessage().contains("on the class path but cannot run here"), e.getMessage());
    assertTrue(CudaBackendProvider.GpuProbe.whyNone() != null);
    assertEquals("cpu", Backends.cpu().device(), "the CPU backend is unaffected");
  }

  @Test
  void sizeClassesArePowersOfTwoThenSixteenMebibyteSteps() {
    assertEquals(512, DeviceAllocator.sizeClass(1));
    assertEquals(512, DeviceAllocator.sizeClass(512));
    assertEquals(1024, DeviceAllocator.sizeClass(513));
    assertEquals(64L << 20, DeviceAllocator.sizeClass((64L << 20) - 5));
    assertEquals(80L << 20, DeviceAllocator.sizeClass((64L << 20) + 1));
    for (long b = 1; b < (1L << 34); b = b * 3 + 1) {
      long c = DeviceAllocator.sizeClass(b);
      assertTrue(c >= b && c < 2 * Math.max(b, 512) + (16L << 20), b + " -> " + c);
    }
  }

  @Test
  void aLaunchWithArgumentsOfTheWrongTypeIsRefusedBeforeItReachesTheDriver() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Launcher.pointerTo(Kernel.SCALE, 2, 'd', 3));
    assertTrue(e.getMessage().contains("SCALE argument 2 must be a double, got a Integer"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Launcher.pointerTo(Kernel.SCALE, 0, 'l', null));
  }

  @Test
  void scatterAddSourcesAreGroupedByTargetInSourceOrder() {
    Segments s = Segments.byTarget(new int[] {3, -1, 0, 3, 3, 0}, 5);
    assertArrayEquals(new int[] {0, 3}, s.targets(), "only targets that receive something, ascending");
    assertArrayEquals(new int[] {0, 2, 5}, s.offsets());
    assertArrayEquals(new int[] {2, 5, 0, 3, 4}, s.sources(), "each target's sources in their original order");
    assertEquals(0, Segments.byTarget(new int[] {-1, -1}, 2).count());
    assertThrows(IndexOutOfBoundsException.class, () -> Segments.byTarget(new int[] {2}, 2));
  }
}
