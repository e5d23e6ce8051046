package org.jsparse.cuda;

/**
 * Every CUDA kernel the Java side launches: the module (a {@code .cu} file of
 * {@code src/main/cuda}, shipped as {@code kernels/<module>.fatbin}), the entry name and the
 * parameter types a launch passes. Typed kernels exist as {@code <name>_f32} and
 * {@code <name>_f64}. {@code KernelSignatureTest} checks every constant against the shipped PTX,
 * and {@link Launcher} refuses a launch whose arguments do not match it.
 */
enum Kernel {
  POINTWISE_FORWARD("elementwise", "pointwise_forward", "idlpp"),
  POINTWISE_BACKWARD("elementwise", "pointwise_backward", "idilppp"),
  ADD_SCALED("elementwise", "add_scaled", "lppdp"),
  MULTIPLY("elementwise", "multiply", "lppp"),
  SCALE("elementwise", "scale", "lpdp"),
  DROPOUT("elementwise", "dropout", "lplddp"),
  ADD_ROW_VECTOR("elementwise", "add_row_vector", "lipp"),
  COPY_COLUMNS("elementwise", "copy_columns", "lpiipiii"),
  GATHER_ROWS("elementwise", "gather_rows", "lppipi"),
  SEGMENT_SUM_ROWS("elementwise", "segment_sum_rows", "lppppipd"),
  FIRST_NON_FINITE_ROW("elementwise", "first_non_finite_row", "lipp"),
  GREATER_THAN("elementwise", "greater_than", "lpdp"),
  COLUMN_PARTIALS("elementwise", "column_partials", "liplp"),
  SUM_PARTIALS("elementwise", "sum_partials", "iipp", false),
  MARK_ELEMENTS("loss", "mark_elements", "ipp", false),
  BCE_PARTIALS("loss", "bce_partials", "lpplp"),
  BCE_GRADIENT("loss", "bce_gradient", "lppdp"),
  GEMM_PAIRS("conv", "gemm_pairs", "ipppipiipii"),
  WEIGHT_PARTIALS("weight_gradient", "weight_partials", "ipppipilp"),
  ADD_PARTIALS("weight_gradient", "add_partials", "iipp"),
  FILL_NEIGHBOUR_TABLE("implicit_gemm", "fill_neighbour_table", "ippiip", false),
  IMPLICIT_GEMM("implicit_gemm", "implicit_gemm", "iippipliipii"),
  CHANNELWISE_PAIRS("conv", "channelwise_pairs", "ippppip"),
  CHANNELWISE_WEIGHT_PARTIALS("conv", "channelwise_weight_partials", "ippppilp"),
  POOL_MAX_OFFSET("pool", "pool_max_offset", "ipppipp"),
  POOL_SUM_OFFSET("pool", "pool_sum_offset", "ipppippi"),
  GROUP_PARTIALS("norm", "group_partials", "lippiplp"),
  NORMALIZE("norm", "normalize", "lippppppp"),
  NORMALIZE_BACKWARD_PARTIALS("norm", "normalize_backward_partials", "lipppipplp"),
  NORMALIZE_BACKWARD("norm", "normalize_backward", "lippppppppp"),
  ADAM_STEP("optim", "adam_step", "lpppppddddddd"),
  SGD_STEP("optim", "sgd_step", "lpppdddii"),
  GEMM("gemm", "gemm", "iiipiipiidpi"),
  HASH_INSERT("coords", "hash_insert", "iplpp", false),
  HASH_QUERY("coords", "hash_query", "iplppp", false),
  MAP_NEIGHBOURS("coords", "map_neighbours", "ipippiilppp", false),
  MAP_CHUNK_COUNTS("coords", "map_chunk_counts", "ipp", false),
  EXCLUSIVE_SCAN("coords", "exclusive_scan", "ip", false),
  MAP_COMPACT("coords", "map_compact", "ipppp", false),
  FLOOR_KEYS("coords", "floor_keys", "ipiippp", false),
  FIRST_APPEARANCES("coords", "first_appearances", "iplppp", false);

  final String module;
  final String name;
  /**
   * One letter per parameter: {@code i} int (PTX .u32), {@code l} long long (.u64), {@code d} double
   * (.f64), {@code p} device pointer (.u64).
   */
  final String signature;
  final boolean typed;

  Kernel(String module, String name, String signature) {
    this(module, name, signature, true);
  }

  Kernel(String module, String name, String signature, boolean typed) {
    this.module = module;
    this.name = name;
    this.signature = signature;
    this.typed = typed;
  }

  /** The PTX parameter type of each signature letter. */
  static String ptxType(char letter) {
    return switch (letter) {
      case 'i' -> ".u32";
      case 'd' -> ".f64";
      case 'l', 'p' -> ".u64";
      default -> throw new IllegalArgumentException("signature letter " + letter);
    };
  }

  /** The entry names in the module: {@code name_f32} and {@code name_f64}, or {@code name}. */
  String[] entries() {
    return typed ? new String[] {name + "_f32", name + "_f64"} : new String[] {name};
  }

  /** The entry for one element type (FLOAT: f32, DOUBLE: f64). */
  String entry(boolean isDouble) {
    return typed ? name + (isDouble ? "_f64" : "_f32") : name;
  }

  /** Resource path of a module's file ({@code fatbin}, {@code ptx} or {@code sha256}). */
  static String resource(String module, String extension) {
    return "/org/jsparse/cuda/kernels/" + module + "." + extension;
  }
}
