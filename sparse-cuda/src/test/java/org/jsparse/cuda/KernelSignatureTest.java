package org.jsparse.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs without a GPU: the kernels shipped in the jar are those of the sources (each module's
 * recorded hash is the hash of {@code common.cuh} + its {@code .cu}), and every kernel the Java
 * side launches exists in its module's PTX with the parameter types the launch passes.
 */
class KernelSignatureTest {
  /** The kernel sources, from the module (Maven) or from the repository root (gpu-check.sh). */
  private static final Path SOURCES = Files.isDirectory(Path.of("src/main/cuda")) ? Path.of("src/main/cuda")
      : Path.of("sparse-cuda/src/main/cuda");
  private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");

  private static String resource(String module, String extension) throws IOException {
    try (InputStream in = Kernel.class.getResourceAsStream(Kernel.resource(module, extension))) {
      assertNotNull(in, "kernels/" + module + "." + extension + " is not in the jar; run sparse-cuda/build-ptx.sh");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static final Pattern PARAM = Pattern.compile("\\.param\\s+(\\.\\w+)");

  /** Entry name to its parameters' PTX types in order, from a module's PTX. */
  static Map<String, List<String>> entries(String ptx) {
    Map<String, List<String>> found = new HashMap<>();
    Matcher m = ENTRY.matcher(ptx);
    while (m.find()) {
      List<String> types = new ArrayList<>();
      Matcher p = PARAM.matcher(m.group(2));
      while (p.find()) {
        types.add(p.group(1));
      }
      found.put(m.group(1), types);
    }
    return found;
  }

  @Test
  void everyLaunchedKernelExistsWithItsParameterTypes() throws IOException {
    Map<String, Map<String, List<String>>> modules = new HashMap<>();
    for (Kernel k : Kernel.values()) {
      Map<String, List<String>> ptx = modules.computeIfAbsent(k.module, m -> {
        try {
          return entries(resource(m, "ptx"));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      for (String entry : k.entries()) {
        assertTrue(ptx.containsKey(entry), entry + " is not in " + k.module + ".ptx (entries: " + ptx.keySet() + ")");
        List<String> expected = k.signature.chars().mapToObj(c -> Kernel.ptxType((char) c)).toList();
        assertEquals(expected, ptx.get(entry), entry + ": parameter types in the PTX vs. Kernel." + k + "'s signature");
      }
    }
    Set<String> launched = new HashSet<>();
    for (Kernel k : Kernel.values()) {
      launched.addAll(Set.of(k.entries()));
    }
    for (var module : modules.entrySet()) {
      for (String entry : module.getValue().keySet()) {
        assertTrue(launched.contains(entry), entry + " in " + module.getKey() + ".cu is never launched: add it to Kernel or remove it");
      }
    }
  }

  @Test
  void theShippedKernelsAreBuiltFromTheseSources() throws IOException, NoSuchAlgorithmException {
    byte[] common = Files.readAllBytes(SOURCES.resolve("common.cuh"));
    Set<String> modules = new HashSet<>();
    for (Kernel k : Kernel.values()) {
      modules.add(k.module);
    }
    try (var files = Files.list(SOURCES)) {
      files.filter(f -> f.toString().endsWith(".cu"))
          .forEach(f -> assertTrue(modules.contains(f.getFileName().toString().replace(".cu", "")),
              f + " has no kernel in Kernel"));
    }
    for (String m : modules) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(common);
      sha.update(Files.readAllBytes(SOURCES.resolve(m + ".cu")));
      String expected = HexFormat.of().formatHex(sha.digest());
      String recorded = resource(m, "sha256").split("\\s+")[0];
      assertEquals(expected, recorded, m + ".cu changed since its kernels were built: run sparse-cuda/build-ptx.sh "
          + "on a machine with nvcc and commit src/main/resources/org/jsparse/cuda/kernels");
      try (InputStream fatbin = Kernel.class.getResourceAsStream(Kernel.resource(m, "fatbin"))) {
        assertNotNull(fatbin, m + ".fatbin is not in the jar");
        assertTrue(fatbin.readAllBytes().length > 1000, m + ".fatbin is empty");
      }
    }
  }
}
