package org.jsparse.nn.layers;

import java.util.List;
import org.jsparse.nn.Module;
import org.jsparse.nn.autograd.Variable;
import org.jsparse.nn.functional.SparseFunctions;

/** Channel concatenation of tensors on one coordinate map (a U-Net skip connection). */
public final class Concat extends Module {
  public Variable forward(Variable... xs) {
    return SparseFunctions.concat(List.of(xs));
  }
}
