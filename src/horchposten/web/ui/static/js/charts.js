/* Charts for the Horchposten UI: an ECharts chart from a small JSON spec, and ALWAYS
 * the same numbers as a table (in a <details> under the chart) for screen readers,
 * keyboards and copying.
 *
 * Markup (see the `chart` macro in templates/partials/macros.html):
 *   <figure class="chart" data-chart [data-chart-src="/api/v1/…" data-chart-adapter="name"]>
 *     <figcaption>Title</figcaption>
 *     <div class="chart-canvas" role="img" aria-label="Title"></div>
 *     <script type="application/json" class="chart-spec">{…spec…}</script>
 *   </figure>
 *
 * Spec:
 *   kind:   "line" | "area" | "bar" | "stacked-bar" | "pie"
 *   x:      {type: "time" | "category", values: [...], label: "Day", granularity: "day"}
 *   y:      {format: "number" | "percent", label: "Posts"}         (optional)
 *   series: [{name: "Posts", values: [...], ghost: true?}]          (ghost: dashed, faint)
 *   link:   "/mentions?topic=T&day={x}&sentiment={series}"          (optional drill-down)
 *   option: {...}   merged over the generated ECharts option         (optional)
 *   table:  {columns: [...], rows: [[...]]}   replaces the derived table (optional)
 *
 * Charts appear on page load and after every htmx swap. A figure is marked
 * data-chart-ready="true" once drawn (or data-chart-ready="error"). chart-fit.js
 * (loaded first) puts numbers in the page's language on every value axis and fits
 * labels and legend to the canvas's width, again on every resize.
 * JS API: Horchposten.charts.render(figure, spec), .load(figure), .adapters[name] = json => spec,
 *         Horchposten.formatNumber(n, options), Horchposten.formatDate(isoOrDate, options).
 */
(function () {
  "use strict";

  const root = document.documentElement;
  const locale = root.lang || "de";
  const timeZone = root.dataset.timezone || undefined;
  const palette = ["#0a58a8", "#d9480f", "#2b8a3e", "#862e9c", "#e8590c", "#1098ad", "#5c940d", "#c2255c"];

  function strings() {
    const node = document.getElementById("hp-strings");
    return node ? JSON.parse(node.textContent) : {};
  }

  function formatNumber(value, options) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    return new Intl.NumberFormat(locale, options).format(value);
  }

  function formatDate(value, options) {
    const date = value instanceof Date ? value : new Date(value);
    return new Intl.DateTimeFormat(locale, Object.assign({ timeZone }, options || { dateStyle: "medium" })).format(date);
  }

  function formatValue(spec, value) {
    const percent = spec.y && spec.y.format === "percent";
    return formatNumber(value, percent ? { style: "percent", maximumFractionDigits: 1 } : { maximumFractionDigits: 2 });
  }

  // Axis ticks, millions in short form ("1,5 Mio.", "300.000"; "1.5M", "300,000"); the first axis
  // follows the spec's format, a second one (e.g. money beside counts) is a plain number.
  function axisNumber(spec, axis, value) {
    if (axis === 0 && spec.y && spec.y.format === "percent") return formatValue(spec, value);
    return formatNumber(value, Math.abs(value) >= 1e6 ? { notation: "compact", maximumFractionDigits: 1 } : { maximumFractionDigits: 2 });
  }

  function formatX(spec, value) {
    return spec.x && spec.x.type === "time" ? formatDate(value, { dateStyle: "medium", timeStyle: isDay(spec) ? undefined : "short" }) : String(value);
  }

  function isDay(spec) {
    // Bucket starts are local midnights sent in UTC ("…T23:00:00Z" in Berlin), so the
    // granularity, where the page gives it, says whether times matter.
    if (spec.x.granularity) return ["day", "week", "month"].includes(spec.x.granularity);
    return (spec.x.values || []).every((v) => /T00:00:00|^\d{4}-\d\d-\d\d$/.test(String(v)));
  }

  function option(spec) {
    const time = spec.x && spec.x.type === "time";
    const base = {
      color: palette,
      animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", valueFormatter: (v) => formatValue(spec, v) },
      legend: { show: (spec.series || []).length > 1 || spec.kind === "pie", bottom: 0, type: "plain" },
      grid: { left: 8, right: 16, top: 16, bottom: 40 },
    };
    if (spec.kind === "pie") {
      const first = spec.series[0];
      base.series = [{
        type: "pie", radius: ["40%", "70%"], name: first.name,
        data: spec.x.values.map((name, i) => ({ name: String(name), value: first.values[i] })),
      }];
      return base;
    }
    base.xAxis = {
      type: time ? "time" : "category",
      data: time ? undefined : spec.x.values.map(String),
      // Day buckets get one tick per day at most; finer buckets show the time too.
      minInterval: time && isDay(spec) ? 24 * 3600 * 1000 : undefined,
      axisLabel: time
        ? { hideOverlap: true, formatter: (v) => formatDate(v, isDay(spec) ? { month: "short", day: "numeric" } : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }) }
        : {},
    };
    // The tooltip's heading: the bucket in the page's language and zone, not ECharts' UTC.
    if (time) base.xAxis.axisPointer = { label: { formatter: (p) => formatX(spec, p.value) } };
    base.yAxis = { type: "value" };
    base.series = spec.series.map((s) => ({
      type: spec.kind === "bar" || spec.kind === "stacked-bar" ? "bar" : "line",
      name: s.name,
      stack: spec.kind === "stacked-bar" || spec.kind === "area" ? "total" : undefined,
      areaStyle: spec.kind === "area" ? {} : undefined,
      showSymbol: false,
      lineStyle: s.ghost ? { type: "dashed", opacity: 0.55 } : undefined,
      itemStyle: s.ghost ? { opacity: 0.55 } : undefined,
      data: time ? spec.x.values.map((x, i) => [x, s.values[i]]) : s.values,
    }));
    return base;
  }

  function merge(target, extra) {
    for (const [key, value] of Object.entries(extra || {})) {
      if (value && typeof value === "object" && !Array.isArray(value) && target[key] && typeof target[key] === "object") {
        merge(target[key], value);
      } else {
        target[key] = value;
      }
    }
    return target;
  }

  function tableOf(spec) {
    if (spec.table) return spec.table;
    const columns = [(spec.x && spec.x.label) || "", ...spec.series.map((s) => s.name)];
    const rows = (spec.x.values || []).map((x, i) => [formatX(spec, x), ...spec.series.map((s) => formatValue(spec, s.values[i]))]);
    return { columns, rows };
  }

  function renderTable(figure, spec, text) {
    const old = figure.querySelector(".chart-table");
    if (old) old.remove();
    const table = tableOf(spec);
    const details = document.createElement("details");
    details.className = "chart-table";
    const summary = document.createElement("summary");
    summary.textContent = text.showTable || "Show as table";
    details.append(summary);
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    const el = document.createElement("table");
    const caption = document.createElement("caption");
    caption.textContent = (figure.querySelector("figcaption") || {}).textContent || "";
    caption.className = "visually-hidden";
    el.append(caption);
    const head = el.createTHead().insertRow();
    table.columns.forEach((name, i) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      if (i > 0) th.className = "num";
      head.append(th);
    });
    const body = el.createTBody();
    table.rows.forEach((row) => {
      const tr = body.insertRow();
      row.forEach((cell, i) => {
        const td = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) td.scope = "row"; else td.className = "num";
        td.textContent = cell;
        tr.append(td);
      });
    });
    wrap.append(el);
    details.append(wrap);
    figure.append(details);
  }

  function drillDown(chart, spec) {
    if (!spec.link) return;
    chart.on("click", (params) => {
      const x = Array.isArray(params.value) ? params.value[0] : params.name;
      window.location.href = spec.link
        .replace("{x}", encodeURIComponent(x))
        .replace("{series}", encodeURIComponent(params.seriesName || ""));
    });
  }

  function render(figure, spec) {
    const text = strings();
    const canvas = figure.querySelector(".chart-canvas");
    const empty = !spec || !spec.series || spec.series.length === 0 || !(spec.x.values || []).length;
    if (empty && !(spec && spec.table)) {
      canvas.removeAttribute("role");
      canvas.style.height = "auto";
      canvas.textContent = text.noData || "No data.";
      figure.dataset.chartReady = "true";
      return null;
    }
    const old = window.echarts.getInstanceByDom(canvas);
    if (old) old.dispose();
    const chart = window.echarts.init(canvas, null, { renderer: "canvas", locale: locale.startsWith("de") ? "DE" : "EN" });
    const fitting = window.Horchposten.chartFit;
    const drawn = fitting.localise(merge(option(spec), spec.option), (axis) => (v) => axisNumber(spec, axis, v));
    const percent = (share) => formatNumber(share, { style: "percent" });
    // Fitting measures a laid-out chart: a first pass without animation is measured and
    // cleared before anything is painted, so the fitted chart animates in once.
    chart.setOption(Object.assign({}, drawn, { animation: false }));
    fitting.fit(chart, drawn, spec, percent);
    chart.clear();
    chart.setOption(drawn);
    drillDown(chart, spec);
    let size = [chart.getWidth(), chart.getHeight()];
    new ResizeObserver(() => {
      chart.resize();
      if (chart.getWidth() === size[0] && chart.getHeight() === size[1]) return;
      size = [chart.getWidth(), chart.getHeight()];
      fitting.fit(chart, drawn, spec, percent);
      chart.setOption(drawn);
    }).observe(canvas);
    renderTable(figure, spec, text);
    figure.dataset.chartReady = "true";
    return chart;
  }

  async function load(figure) {
    const inline = figure.querySelector("script.chart-spec");
    try {
      let spec;
      if (figure.dataset.chartSrc) {
        const response = await fetch(figure.dataset.chartSrc, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`${response.status} ${figure.dataset.chartSrc}`);
        const json = await response.json();
        const adapter = adapters[figure.dataset.chartAdapter];
        if (!adapter) throw new Error(`no chart adapter '${figure.dataset.chartAdapter}'`);
        spec = adapter(json, figure);
      } else {
        spec = JSON.parse(inline.textContent);
      }
      render(figure, spec);
    } catch (error) {
      console.error("chart", figure.id, error);
      const message = document.createElement("p");
      message.className = "chart-error";
      message.setAttribute("role", "alert");
      message.textContent = strings().chartFailed || "The chart could not be loaded.";
      figure.append(message);
      figure.dataset.chartReady = "error";
    }
  }

  function loadAll(scope) {
    (scope || document).querySelectorAll("figure[data-chart]:not([data-chart-ready])").forEach(load);
  }

  const adapters = {};
  window.Horchposten = Object.assign(window.Horchposten || {}, {
    charts: { render, load, loadAll, adapters },
    formatNumber,
    formatDate,
    locale,
    timeZone,
  });
  document.addEventListener("DOMContentLoaded", () => loadAll(document));
  document.addEventListener("htmx:afterSettle", (event) => loadAll(event.detail.elt));
})();
