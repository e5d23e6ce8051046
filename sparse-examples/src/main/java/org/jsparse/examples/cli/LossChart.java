package org.jsparse.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The training loss as a PNG line chart (JFreeChart), written beside an example's metrics. */
final class LossChart {
  private LossChart() {}

  /** Writes {@code losses} (one per step or epoch, from 1) as a line chart of {@code width} x {@code height}. */
  static void write(Path png, String title, String xLabel, double[] losses) throws IOException {
    XYSeries series = new XYSeries("loss");
    for (int i = 0; i < losses.length; i++) {
      series.add(i + 1, losses[i]);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, "loss", new XYSeriesCollection(series),
        PlotOrientation.VERTICAL, false, false, false);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 720, 400);
  }
}
