package org.jsparse.examples.ulm;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Angiograms side by side as one PNG, each scaled up to at least 256 pixels a side and captioned. */
public final class AngiogramImage {
  private AngiogramImage() {}

  public static void write(Path file, String[] captions, Angiogram... panels) throws IOException {
    int side = panels[0].side();
    int zoom = Math.max(1, 256 / side);
    int panel = side * zoom;
    int caption = 18;
    BufferedImage img = new BufferedImage(panels.length * (panel + 8) + 8, panel + caption + 12, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i < panels.length; i++) {
      int x0 = 8 + i * (panel + 8);
      int y0 = caption + 4;
      g.setColor(Color.BLACK);
      g.fillRect(x0, y0, panel, panel);
      g.setColor(new Color(255, 200, 60));
      for (int z = 0; z < side; z++) {
        for (int x = 0; x < side; x++) {
          if (panels[i].get(x, z)) {
            g.fillRect(x0 + x * zoom, y0 + z * zoom, zoom, zoom);
          }
        }
      }
      g.setColor(Color.BLACK);
      g.drawString(captions[i], x0, caption);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
