// The workspace overview: one row per topic with a sparkline, sentiment split and change.
"use strict";
(function () {
  const table = document.getElementById("overview-table");
  if (!table) return;
  const L = HP.labels();
  const COLORS = { negative: "#c0392b", neutral: "#7f8c8d", positive: "#1e8449", none: "#bdc3c7" };
  const period = HP.period("?range=30d");

  function cell(row, content) {
    const td = row.insertCell();
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content;
    return td;
  }

  function sparkline(node, values, starts) {
    const chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: "category", show: false, data: starts },
      yAxis: { type: "value", show: false, min: 0 },
      tooltip: { trigger: "axis", valueFormatter: HP.number },
      series: [{ type: "line", data: values, symbol: "none", areaStyle: { opacity: 0.2 } }],
    });
    return HP.drawn(chart);
  }

  function split(counts) {
    const all = Object.values(counts).reduce((a, b) => a + b, 0);
    const bar = document.createElement("span");
    bar.className = "sentiment-bar";
    const words = [];
    for (const label of ["positive", "neutral", "negative", "none"]) {
      const n = counts[label] || 0;
      if (!n) continue;
      const part = document.createElement("span");
      part.style.width = (100 * n) / all + "%";
      part.style.background = COLORS[label];
      part.title = `${L[label]}: ${HP.number(n)}`;
      bar.appendChild(part);
      words.push(`${L[label]} ${HP.percent(n / all)}`);
    }
    bar.setAttribute("role", "img");
    bar.setAttribute("aria-label", words.join(", ") || "–");
    return bar;
  }

  function change(c) {
    const span = document.createElement("span");
    span.className = "change";
    span.dataset.trend = c.absolute > 0 ? "up" : c.absolute < 0 ? "down" : "flat";
    const arrow = c.absolute > 0 ? "▲ " : c.absolute < 0 ? "▼ " : "";
    span.textContent = arrow + (c.percent === null ? L.new_activity : HP.percent(c.percent / 100));
    return span;
  }

  function attention(sources) {
    if (!sources.length) return;
    const box = document.getElementById("attention");
    const list = box.querySelector("ul");
    for (const s of sources) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "/sources";
      link.textContent = `${L.unhealthy}: ${s.name} (${s.kind})`;
      const why = document.createElement("p");
      why.textContent = `${s.last_error || ""} · ${s.consecutive_failures} ${L.failures}`;
      item.append(link, why);
      list.appendChild(item);
    }
    box.hidden = false;
  }

  HP.api("/overview", { since: period.start.toISOString(), until: period.end.toISOString() })
    .then((answer) => {
      attention(answer.unhealthy_sources);
      const body = table.tBodies[0];
      body.textContent = "";
      if (!answer.topics.length) {
        const row = body.insertRow();
        const link = document.createElement("a");
        link.href = "/query";
        link.textContent = L.create_first;
        const td = cell(row, L.no_topics + " ");
        td.colSpan = 6;
        td.appendChild(link);
      }
      const drawn = answer.topics.map((t) => {
        const row = body.insertRow();
        const name = document.createElement("a");
        name.href = `/topics/${t.topic.id}`;
        name.textContent = t.topic.name;
        const head = cell(row, name);
        head.scope = "row";
        cell(row, HP.number(t.totals.posts)).className = "number";
        const spark = document.createElement("div");
        spark.className = "sparkline";
        spark.setAttribute("role", "img");
        spark.setAttribute("aria-label", `${L.posts}: ${t.sparkline.map(HP.number).join(", ")}`);
        cell(row, spark);
        cell(row, change(t.change));
        cell(row, split(t.sentiment));
        cell(row, HP.number(t.net, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).className = "number";
        return sparkline(spark, t.sparkline, answer.starts.map(HP.day));
      });
      return Promise.all(drawn);
    })
    .catch((error) => {
      table.tBodies[0].textContent = `${L.failed}: ${error.message}`;
    })
    .finally(() => {
      document.body.dataset.overview = "ready";
    });
})();
