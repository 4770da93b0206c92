package io.sluice.app.status;

/**
 * The web console at {@code /}: one self-contained page (inline CSS and JS, nothing fetched from
 * elsewhere, so it works offline) that polls {@code /status} every 2 s and draws what an operator
 * asks first: what syncs where, phase, initialization bars, checkpoint against the source's binlog
 * end, lag, a records/s chart and the recent errors. A {@code ?token=} in the page's address is
 * passed on to {@code /status}.
 */
final class StatusPage {

    private StatusPage() {}

    static String html(String job) {
        return PAGE.replace("@JOB@", escape(job));
    }

    private static String escape(Object o) {
        return String.valueOf(o).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Sluice: @JOB@</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
            header{background:#1f2d3d;color:#fff;padding:.8em 1.5em;display:flex;gap:1.5em;align-items:baseline;flex-wrap:wrap}
            header h1{font-size:1.3em;margin:0}
            .badge{padding:.15em .6em;border-radius:1em;font-weight:600;background:#888;color:#fff}
            .badge.streaming{background:#2e7d32}.badge.initializing{background:#1565c0}.badge.recovering{background:#e65100}
            .badge.stopped,.badge.unreachable{background:#b71c1c}
            main{display:grid;grid-template-columns:repeat(auto-fit,minmax(26em,1fr));gap:1em;padding:1em 1.5em}
            section{background:#fff;border-radius:.4em;padding:.8em 1em;box-shadow:0 1px 2px #0002}
            section.wide{grid-column:1/-1}
            h2{font-size:1em;margin:0 0 .5em;color:#456}
            td{padding:.15em .8em .15em 0;vertical-align:top}td:first-child{color:#666;white-space:nowrap}
            .big{font-size:1.8em;font-weight:600}
            .bar{background:#e3e7ec;border-radius:.3em;height:1.1em;overflow:hidden}
            .bar>div{background:#1565c0;height:100%}
            .table-progress{margin:.4em 0}.table-progress .label{display:flex;justify-content:space-between;font-size:.9em}
            .err td{font-size:.9em}.err td:first-child{font-family:monospace}
            .muted{color:#888}.warn{color:#b71c1c}.nowrap{white-space:nowrap}
            svg{width:100%;height:90px;background:#fafbfc}
            </style></head>
            <body>
            <header><h1>Sluice · @JOB@</h1><span id="phase" class="badge">…</span>
            <span>version <b id="version">…</b></span><span>uptime <b id="uptime">…</b></span>
            <span id="reach" class="muted"></span></header>
            <main>
            <section><h2>Source → target</h2><table>
            <tr><td>source</td><td id="source" class="nowrap">…</td></tr>
            <tr><td>binlog connection</td><td id="connected">…</td></tr>
            <tr><td>Kafka</td><td id="kafka">…</td></tr>
            <tr><td>topic(s)</td><td id="topics">…</td></tr>
            <tr><td>delivery</td><td id="delivery">…</td></tr></table></section>
            <section><h2>Position</h2><table>
            <tr><td>checkpoint</td><td id="checkpoint" class="nowrap">…</td></tr>
            <tr><td>source binlog end</td><td id="sourceEnd" class="nowrap">…</td></tr>
            <tr><td>behind</td><td id="behind">…</td></tr>
            <tr><td>GTID set</td><td id="gtid" style="word-break:break-all">…</td></tr>
            <tr><td>next record id</td><td id="nextId">…</td></tr></table></section>
            <section><h2>Lag and throughput</h2>
            <div><span class="big" id="lag">…</span> behind the source</div>
            <div><span class="big" id="rate">…</span> records/s</div>
            <svg id="chart" viewBox="0 0 300 90" preserveAspectRatio="none"></svg>
            <div class="muted" id="chartNote"></div></section>
            <section id="initSection" class="wide" style="display:none"><h2>Initialization <span id="initState" class="muted"></span></h2>
            <div id="init"></div></section>
            <section><h2>Counters</h2><table id="counters"></table></section>
            <section class="wide"><h2>Recent errors</h2><table class="err" id="errors"></table>
            <div id="noErrors" class="muted">none</div></section>
            </main>
            <footer style="padding:0 1.5em 1em" class="muted"><a href="status">JSON</a> · <a href="metrics">Prometheus metrics</a></footer>
            <script>
            "use strict";
            const token = new URLSearchParams(location.search).get("token");
            const q = token ? "?token=" + encodeURIComponent(token) : "";
            document.querySelectorAll("footer a").forEach(a => a.href += q);
            const $ = id => document.getElementById(id);
            const text = (id, v) => { $(id).textContent = v; };
            const num = n => Number(n).toLocaleString("en-US");
            function duration(s) {
              if (s < 0) return "?";
              const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), r = Math.floor(s % 60);
              return (d ? d + "d " : "") + (d || h ? h + "h " : "") + (d || h || m ? m + "m " : "") + r + "s";
            }
            function millis(ms) { return ms < 1000 ? ms + " ms" : duration(Math.round(ms / 1000)); }
            function pos(p) { return p ? p.binlogFile + ":" + p.binlogPosition : "–"; }
            function el(tag, attrs, children, ns) {
              const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
              Object.entries(attrs || {}).forEach(([k, v]) => k === "text" ? e.textContent = v : e.setAttribute(k, v));
              (children || []).forEach(c => e.appendChild(c));
              return e;
            }
            function behind(cp, end) {
              if (!cp || !end) return "unknown";
              if (cp.binlogFile === end.binlogFile) {
                const b = end.binlogPosition - cp.binlogPosition;
                return b <= 0 ? "at the binlog end" : num(b) + " bytes";
              }
              return "in an earlier binlog file (" + cp.binlogFile + " < " + end.binlogFile + ")";
            }
            function chart(values, interval) {
              const svg = $("chart"), W = 300, H = 90;
              while (svg.firstChild) svg.removeChild(svg.firstChild);
              if (values.length < 2) { text("chartNote", "collecting samples (one per " + interval + " s)…"); return; }
              const max = Math.max(1, ...values), step = W / (values.length - 1);
              const pts = values.map((v, i) => (i * step).toFixed(1) + "," + (H - 4 - v / max * (H - 12)).toFixed(1));
              const SVG = "http://www.w3.org/2000/svg";
              svg.appendChild(el("polygon", {points: "0," + H + " " + pts.join(" ") + " " + W + "," + H, fill: "#1565c022"}, [], SVG));
              svg.appendChild(el("polyline", {points: pts.join(" "), fill: "none", stroke: "#1565c0", "stroke-width": "1.5",
                "vector-effect": "non-scaling-stroke"}, [], SVG));
              text("chartNote", "records/s, last " + duration(values.length * interval) + " (peak " + num(Math.round(max)) + ")");
            }
            function initialization(i) {
              $("initSection").style.display = i ? "" : "none";
              if (!i) return;
              text("initState", i.running ? "running" : i.completed ? "completed" : "");
              const box = $("init");
              while (box.firstChild) box.removeChild(box.firstChild);
              i.tables.forEach(t => {
                const pct = t.estimatedRows > 0 ? Math.min(100, Math.floor(t.rows * 100 / t.estimatedRows)) : (i.completed ? 100 : 0);
                const detail = num(t.rows) + " / ~" + num(t.estimatedRows) + " rows (" + pct + "%)"
                  + (t.rowsPerSecond > 0 ? " · " + num(t.rowsPerSecond) + " rows/s" : "")
                  + (t.etaSeconds >= 0 ? " · ETA " + duration(t.etaSeconds) : "");
                const fill = el("div"); fill.style.width = pct + "%";
                box.appendChild(el("div", {class: "table-progress", "data-table": t.table, "data-rows": t.rows, "data-percent": pct}, [
                  el("div", {class: "label"}, [el("b", {text: t.table}), el("span", {class: "detail", text: detail})]),
                  el("div", {class: "bar"}, [fill])]));
              });
            }
            function render(s) {
              $("phase").className = "badge " + s.phase;
              text("phase", s.phase);
              text("version", s.version);
              text("uptime", duration(s.uptimeSeconds));
              text("source", s.source.name + " at " + s.source.address);
              text("connected", s.source.connected ? "up" : "down");
              $("connected").className = s.source.connected ? "" : "warn";
              text("kafka", s.target.bootstrapServers);
              text("topics", s.target.topic + (s.target.topics ? " and per table " + Object.entries(s.target.topics).map(e => e[0] + ": " + e[1]).join(", ") : "")
                  + (s.target.ddlTopic && s.target.ddlTopic !== s.target.topic ? ", DDL: " + s.target.ddlTopic : ""));
              text("delivery", s.delivery);
              text("checkpoint", pos(s.checkpoint));
              text("sourceEnd", pos(s.sourceEnd));
              text("behind", behind(s.checkpoint, s.sourceEnd));
              text("gtid", s.checkpoint && s.checkpoint.gtidSet ? s.checkpoint.gtidSet : "–");
              text("nextId", s.checkpoint ? num(s.checkpoint.nextId) : "–");
              text("lag", millis(s.lagMillis));
              text("rate", num(s.recordsPerSecond));
              chart(s.throughput.recordsPerSecond, s.throughput.intervalSeconds);
              initialization(s.initialization);
              const counters = $("counters");
              while (counters.firstChild) counters.removeChild(counters.firstChild);
              [["records written", s.records], ["bytes written", s.bytes], ["source transactions", s.sourceTransactions],
               ["binlog events", s.eventsSeen], ["Kafka commits", s.commits], ["recoveries", s.restarts],
               ["schema mismatches passed", s.schemaMismatches]].forEach(([k, v]) =>
                counters.appendChild(el("tr", {}, [el("td", {text: k}), el("td", {text: num(v)})])));
              const errors = $("errors");
              while (errors.firstChild) errors.removeChild(errors.firstChild);
              s.recentErrors.slice().reverse().forEach(e =>
                errors.appendChild(el("tr", {}, [el("td", {text: e.at.replace("T", " ").replace(/\\.\\d+Z$/, "Z")}), el("td", {text: e.message})])));
              $("noErrors").style.display = s.recentErrors.length ? "none" : "";
              text("reach", "updated " + new Date().toLocaleTimeString());
              $("reach").className = "muted";
            }
            async function poll() {
              try {
                const r = await fetch("status" + q, {cache: "no-store"});
                if (!r.ok) throw new Error("HTTP " + r.status + (r.status === 401 ? ": add ?token=<status.authToken> to the address" : ""));
                render(await r.json());
              } catch (e) {
                text("reach", "job not reachable: " + e.message);
                $("reach").className = "warn";
              }
            }
            poll();
            setInterval(poll, 2000);
            </script></body></html>
            """;
}
