package org.jsparse.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.jsparse.examples.skull.SkullCompletion;

/**
 * A progress bar for a training run: done steps, the last loss, sites per second and the time
 * left, redrawn in place on a terminal and printed at most every few seconds otherwise.
 */
final class ProgressBar implements SkullCompletion.Progress {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private long lastPrinted;
  private long sites;

  ProgressBar(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void stepDone(int epoch, int epochs, int step, int steps, double loss, long stepSites) {
    sites += stepSites;
    long now = System.nanoTime();
    if (!terminal && now - lastPrinted < 5_000_000_000L && !(epoch == epochs && step == steps)) {
      return;
    }
    lastPrinted = now;
    double seconds = (now - started) / 1e9;
    long done = (long) (epoch - 1) * steps + step;
    long total = (long) epochs * steps;
    int filled = (int) (WIDTH * done / total);
    String bar = "=".repeat(filled) + (filled < WIDTH ? ">" : "") + " ".repeat(Math.max(0, WIDTH - filled - 1));
    double left = seconds / done * (total - done);
    String line = String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d  loss %.4f  %,.0f sites/s  %s left", epoch, epochs,
        bar, done, total, loss, sites / Math.max(seconds, 1e-9), clock(left));
    if (terminal) {
      out.print("\r" + line);
      if (done == total) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
