package org.jsparse.examples.ct;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A PNG of label volumes side by side, each as its projection along x over {@code x >= fromX}
 * (the view from the top of the skull, through its cap only, so a hole in the cap shows): label 1
 * (bone kept) grey, label 2 (implant) orange, the higher label winning. No
 * text is drawn (a headless JDK may have no fonts); the caller names the panels.
 */
public final class Projections {
  private static final int SCALE = 3;

  private Projections() {}

  /** One panel per volume ({@code r^3}, row-major z, y, x), left to right, white lines between. */
  public static void write(Path png, int r, int fromX, byte[]... volumes) throws IOException {
    int w = r * SCALE + 2;
    BufferedImage img = new BufferedImage(w * volumes.length, r * SCALE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int p = 0; p < volumes.length; p++) {
      for (int z = 0; z < r; z++) {
        for (int y = 0; y < r; y++) {
          int best = 0;
          for (int x = Math.max(0, fromX); x < r; x++) {
            best = Math.max(best, volumes[p][(z * r + y) * r + x]);
          }
          Color c = best == 2 ? new Color(255, 140, 0) : best == 1 ? new Color(200, 200, 200) : Color.BLACK;
          g.setColor(c);
          g.fillRect(p * w + y * SCALE, z * SCALE, SCALE, SCALE);
        }
      }
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }
}
