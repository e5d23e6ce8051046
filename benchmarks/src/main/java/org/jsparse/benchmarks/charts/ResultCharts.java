package org.jsparse.benchmarks.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts of docs/benchmarks.md from the runners' JSON lines: layer memory against occupancy
 * (sparse and ND4J dense, one line per grid size) from {@code LayerMemoryRunner}'s output.
 *
 * <p>Usage: {@code ResultCharts layer-memory.jsonl out.png}.
 */
public final class ResultCharts {
  private ResultCharts() {}

  public static void main(String[] args) throws IOException {
    layerMemory(Files.readAllLines(Path.of(args[0])), Path.of(args[1]));
  }

  /** A number field of a flat JSON line. */
  public static double number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.eE+-]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no number " + field + " in " + json);
    }
    return Double.parseDouble(m.group(1));
  }

  /** A string field of a flat JSON line (empty when missing). */
  public static String text(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "";
  }

  /** Peak RSS (MB, log scale) against occupancy (%) for each size and side. */
  public static void layerMemory(List<String> lines, Path png) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String line : lines) {
      if (!line.startsWith("{") || line.contains("\"error\"")) {
        continue;
      }
      String name = String.format(Locale.ROOT, "%s %d^3", text(line, "side"), (int) number(line, "size"));
      XYSeries series;
      int index = data.getSeriesIndex(name);
      if (index < 0) {
        series = new XYSeries(name);
        data.addSeries(series);
      } else {
        series = data.getSeries(index);
      }
      series.add(100 * number(line, "occupancy"), number(line, "peakRssNetBytes") / 1e6);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("One 3x3x3 layer, forward + backward, C = 16",
        "occupancy (%)", "peak RSS net (MB)", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    LogAxis y = new LogAxis("peak RSS net (MB)");
    y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
    plot.setRangeAxis(y);
    LogAxis x = new LogAxis("occupancy (%)");
    x.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
    plot.setDomainAxis(x);
    plot.setBackgroundPaint(java.awt.Color.WHITE);
    plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 480);
  }

  /** A log axis with a tick at every power of 10, or of 2 when the values span less than a decade and a half. */
  private static LogAxis logAxis(String label, double lo, double hi) {
    LogAxis a = new LogAxis(label);
    a.setBase(hi / lo < 30 ? 2 : 10);
    a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
    a.setMinorTickMarksVisible(false);
    a.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
    return a;
  }

  /**
   * A line chart of named series of (x, y) points, each axis logarithmic on request, written as an
   * 800x480 PNG.
   */
  public static void lines(String title, String xLabel, String yLabel, boolean logX, boolean logY,
      java.util.Map<String, List<double[]>> series, Path png) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (var e : series.entrySet()) {
      XYSeries s = new XYSeries(e.getKey());
      for (double[] p : e.getValue()) {
        s.add(p[0], p[1]);
      }
      data.addSeries(s);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    XYPlot plot = chart.getXYPlot();
    if (logY) {
      plot.setRangeAxis(logAxis(yLabel, data.getRangeLowerBound(false), data.getRangeUpperBound(false)));
    }
    if (logX) {
      plot.setDomainAxis(logAxis(xLabel, data.getDomainLowerBound(false), data.getDomainUpperBound(false)));
    }
    plot.setBackgroundPaint(java.awt.Color.WHITE);
    plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
    org.jfree.chart.renderer.xy.XYLineAndShapeRenderer r = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
    plot.setRenderer(r);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 480);
  }
}
