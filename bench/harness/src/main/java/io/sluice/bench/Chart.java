package io.sluice.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/** performance.png: throughput per workload (median bars, min–max whiskers) and the latency percentiles. */
final class Chart {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x7f7f7f), new Color(0xbcbd22)};
    private static final String[] SERIES = {"Sluice", "Debezium embedded", "binlog read limit", "Kafka produce limit"};

    static void write(Report rep, Path png) throws Exception {
        System.setProperty("java.awt.headless", "true");
        int w = 1200, h = 560;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Sluice benchmark " + rep.r.date + "  (median of " + rep.reps + " runs, whiskers: min–max)", 20, 26);

        throughput(g, rep, 20, 50, 800, 480);
        latency(g, rep, 860, 50, 320, 480);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void throughput(Graphics2D g, Report rep, int x0, int y0, int w, int h) {
        List<String> wl = Bench.WORKLOADS;
        Stats[][] s = new Stats[wl.size()][4];
        double max = 1;
        for (int i = 0; i < wl.size(); i++) {
            String k = wl.get(i);
            s[i] = new Stats[] {rep.sluice(k), rep.debezium(k), rep.binlog(k), rep.kafka(k)};
            for (Stats x : s[i]) if (x.max() != null) max = Math.max(max, x.max());
        }
        double top = niceCeil(max);
        int left = x0 + 70, bottom = y0 + h - 70, plotH = h - 110, plotW = w - 90;
        axes(g, left, bottom, plotW, plotH, top, "events/s");
        int groupW = plotW / wl.size();
        int barW = (groupW - 40) / 4;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < wl.size(); i++) {
            int gx = left + i * groupW + 20;
            for (int j = 0; j < 4; j++) {
                Stats st = s[i][j];
                int bx = gx + j * barW;
                if (st.median() == null) continue;
                int bh = (int) (plotH * st.median() / top);
                g.setColor(COLORS[j]);
                g.fillRect(bx + 2, bottom - bh, barW - 4, bh);
                g.setColor(Color.BLACK);
                if (st.n() > 1) {
                    int ymin = bottom - (int) (plotH * st.min() / top), ymax = bottom - (int) (plotH * st.max() / top);
                    int cx = bx + barW / 2;
                    g.drawLine(cx, ymin, cx, ymax);
                    g.drawLine(cx - 4, ymin, cx + 4, ymin);
                    g.drawLine(cx - 4, ymax, cx + 4, ymax);
                }
                String label = st.median() >= 10_000 ? String.format("%.0fk", st.median() / 1000) : String.format("%.1fk", st.median() / 1000);
                int tw = g.getFontMetrics().stringWidth(label);
                g.drawString(label, bx + (barW - tw) / 2, bottom - bh - 4 - (st.n() > 1 ? Math.max(0, (int) (plotH * (st.max() - st.median()) / top)) : 0));
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            String name = switch (wl.get(i)) {
                case "batch" -> "(a) batched INSERT";
                case "single" -> "(b) single-row INSERT";
                default -> "(c) mixed I/U/D";
            };
            int tw = g.getFontMetrics().stringWidth(name);
            g.drawString(name, left + i * groupW + (groupW - tw) / 2, bottom + 18);
            Stats ratio = rep.vsDebezium(wl.get(i));
            Stats lim = rep.vsLimit(wl.get(i));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            String r = (ratio.median() == null ? "" : String.format("%.1f× Debezium", ratio.median()))
                    + (lim.median() == null ? "" : String.format(", %.0f%% of limit", 100 * lim.median()));
            tw = g.getFontMetrics().stringWidth(r);
            g.drawString(r, left + i * groupW + (groupW - tw) / 2, bottom + 34);
        }
        // legend
        int lx = left, ly = bottom + 52;
        for (int j = 0; j < 4; j++) {
            g.setColor(COLORS[j]);
            g.fillRect(lx, ly - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(SERIES[j], lx + 16, ly);
            lx += 30 + g.getFontMetrics().stringWidth(SERIES[j]);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("Streaming throughput (catch-up from a backlog)", left, y0 + 14);
    }

    private static void latency(Graphics2D g, Report rep, int x0, int y0, int w, int h) {
        Stats[] s = {rep.latency(x -> x.p50Ms), rep.latency(x -> x.p99Ms), rep.latency(x -> x.maxMs)};
        String[] names = {"p50", "p99", "max"};
        double max = 100;
        for (Stats x : s) if (x.max() != null) max = Math.max(max, x.max());
        double top = niceCeil(max * 1.05);
        int left = x0 + 50, bottom = y0 + h - 70, plotH = h - 110, plotW = w - 60;
        axes(g, left, bottom, plotW, plotH, top, "ms");
        int target = bottom - (int) (plotH * 100 / top);
        g.setColor(new Color(0xd62728));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
        g.drawLine(left, target, left + plotW, target);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom + 52, left + 24, bottom + 52);
        g.drawString("p99 target 100 ms", left + 30, bottom + 56);
        int barW = plotW / 3;
        for (int i = 0; i < 3; i++) {
            Stats st = s[i];
            int bx = left + i * barW;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(names[i], bx + barW / 2 - 10, bottom + 18);
            if (st.median() == null) continue;
            int bh = (int) (plotH * st.median() / top);
            g.setColor(COLORS[0]);
            g.fillRect(bx + 15, bottom - bh, barW - 30, bh);
            g.setColor(Color.BLACK);
            if (st.n() > 1) {
                int ymin = bottom - (int) (plotH * st.min() / top), ymax = bottom - (int) (plotH * st.max() / top);
                int cx = bx + barW / 2;
                g.drawLine(cx, ymin, cx, ymax);
                g.drawLine(cx - 4, ymin, cx + 4, ymin);
                g.drawLine(cx - 4, ymax, cx + 4, ymax);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            String label = String.format("%.1f", st.median());
            g.drawString(label, bx + barW / 2 - g.getFontMetrics().stringWidth(label) / 2,
                    bottom - bh - 4 - (st.n() > 1 ? Math.max(0, (int) (plotH * (st.max() - st.median()) / top)) : 0));
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("Sluice latency at " + rep.setting("latencyRate") + " events/s", left, y0 + 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        String big = rep.r.big.heapFigures == null ? "1M-row txn: not run"
                : String.format("1M-row txn @ -Xmx%s: %s", rep.r.big.heap, rep.r.big.ok ? "PASS" : "FAIL");
        g.drawString(big, left, bottom + 40);
    }

    private static void axes(Graphics2D g, int left, int bottom, int plotW, int plotH, double top, String unit) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            int y = bottom - plotH * i / 5;
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.DARK_GRAY);
            double v = top * i / 5;
            String label = v >= 1000 ? String.format("%.0fk", v / 1000) : String.format("%.0f", v);
            g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, bottom, left + plotW, bottom);
        g.drawLine(left, bottom, left, bottom - plotH);
        g.drawString(unit, left - 40, bottom - plotH - 8);
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
