// The topic dashboard: reads /api/v1 for the chosen period, draws each chart with its
// table alternative, and sends a click on any number to the posts behind it.
// When every chart has finished drawing, <body data-dashboard="ready"> (tests, benchmark).
"use strict";
(function () {
  const root = document.querySelector("[data-dashboard-topic]");
  if (!root) return;
  const L = HP.labels();
  const C = HP.dashboardCharts;
  const topic = root.dataset.dashboardTopic;
  const rivals = JSON.parse(root.dataset.rivals || "[]");
  // The server chose the period (custom days are days in the workspace's zone).
  const current = { start: new Date(root.dataset.start), end: new Date(root.dataset.end) };
  const before = HP.previous(current);
  const unit = HP.granularity(current);
  const ctx = { topic, granularity: unit, start: current.start, end: current.end };
  const when = (p) => ({ since: p.start.toISOString(), until: p.end.toISOString() });
  // By id: a name is free text, and "a / b" or ".." cannot be a path segment.
  const path = "/topics/" + encodeURIComponent(root.dataset.dashboardTopicId);

  // Drawn by the shell's chart helper; the first cell of each table row links to the
  // posts behind it, so keyboard and screen-reader users can drill down too.
  function draw(name, built) {
    const figure = root.querySelector(`[data-dash-chart="${name}"]`);
    const empty = !built.spec.table.rows.length;
    const chart = Horchposten.charts.render(figure, empty ? { series: [] } : built.spec);
    figure.querySelectorAll(".chart-table tbody tr").forEach((row, i) => {
      const link = built.links[i];
      if (!link) return;
      const a = document.createElement("a");
      a.href = link;
      a.textContent = row.cells[0].textContent;
      row.cells[0].replaceChildren(a);
    });
    if (!chart) return Promise.resolve();
    chart.on("click", (params) => {
      const link = built.drill(params);
      if (link) location.assign(link);
    });
    return HP.drawn(chart);
  }

  function failed(name, error) {
    const figure = root.querySelector(`[data-dash-chart="${name}"]`);
    const note = document.createElement("p");
    note.className = "chart-error";
    note.setAttribute("role", "alert");
    note.textContent = `${L.failed}: ${error.message}`;
    figure.append(note);
    figure.dataset.chartReady = "error";
  }

  const range = when(current);
  const themes = HP.api(path + "/themes", { ...range, limit: 10 });
  const jobs = {
    volume: () =>
      Promise.all([
        HP.api(path + "/volume", { ...range, granularity: unit }),
        HP.api(path + "/volume", { ...when(before), granularity: unit }),
      ]).then(([now, then]) => {
        showChange(now.change);
        return C.volume(now, then, L, ctx);
      }),
    sentiment: () =>
      HP.api(path + "/sentiment", { ...range, granularity: unit }).then((d) => {
        showNet(d.overall.net);
        return C.sentiment(d, L, ctx);
      }),
    share: () =>
      HP.api("/share-of-voice", { ...range, granularity: unit, topic: [topic, ...rivals] }).then((d) =>
        C.share(d, L, ctx),
      ),
    authors: () =>
      Promise.all([
        HP.api(path + "/authors", { ...range, limit: 10 }),
        HP.api(path + "/authority", { ...range, limit: 50 }),
      ]).then(([top, ranks]) => {
        showSample("authors", ranks.sample, L.authority + ": ");
        return C.authors(top, ranks.authors, L, ctx);
      }),
    themes: () =>
      themes.then((d) => {
        showSample("themes", d.sample);
        return C.themes(d, L, ctx);
      }),
    rising: () =>
      themes.then((d) => {
        showSample("rising", d.sample);
        return C.rising(d, L, ctx);
      }),
    voice: () =>
      HP.api(path + "/voice-of-customer", range).then((d) => {
        showSample("voice", d.sample);
        showQuotes(d);
        return C.voice(d, L);
      }),
    sources: () =>
      HP.api(path + "/sources", { ...range, granularity: unit }).then((d) =>
        C.split(C.sums(d), L, ctx, "source"),
      ),
    langs: () =>
      HP.api(path + "/volume", { ...range, granularity: unit, split: "lang" }).then((d) =>
        C.split(C.sums(d), L, ctx, "lang"),
      ),
    earned: () =>
      HP.api(path + "/earned-media", range).then((d) => {
        const built = C.earned(d, L, ctx);
        setText("kpi-impressions", built.kpis.impressions);
        setText("kpi-value", built.kpis.value);
        return built;
      }),
  };

  function setText(id, text) {
    const node = document.getElementById(id);
    if (node) node.textContent = text;
  }

  function showChange(change) {
    const node = document.getElementById("kpi-change");
    if (!node) return;
    const arrow = change.absolute > 0 ? "▲ " : change.absolute < 0 ? "▼ " : "";
    node.textContent = arrow + (change.percent === null ? L.new_activity : HP.percent(change.percent / 100));
    node.dataset.trend = change.absolute > 0 ? "up" : change.absolute < 0 ? "down" : "flat";
    setText("kpi-previous", HP.number(change.previous));
  }

  // Text and graph insights read a bounded sample of a busy period: say which.
  function showSample(name, sample, prefix = "") {
    if (!sample || sample.every <= 1) return;
    const figure = root.querySelector(`[data-dash-chart="${name}"]`);
    const note = document.createElement("p");
    note.className = "hint sample-note";
    note.textContent =
      prefix +
      L.sample_note
        .replace("{read}", HP.number(sample.read))
        .replace("{posts}", HP.number(sample.posts))
        .replace("{every}", HP.number(sample.every));
    figure.before(note);
  }

  function showNet(net) {
    setText("kpi-net", net === null ? "–" : HP.number(net, { maximumFractionDigits: 2 }));
  }

  function showQuotes(answer) {
    const list = document.getElementById("voice-quotes");
    if (!list) return;
    for (const aspect of answer.aspects) {
      for (const quote of aspect.quotes.slice(0, 2)) {
        const item = document.createElement("li");
        item.dataset.polarity = quote.polarity;
        const label = document.createElement("strong");
        label.textContent = (L["aspect_" + aspect.name] || aspect.name) + ": ";
        const link = document.createElement("a");
        link.href = C.threadLink(quote.post_id);
        link.textContent = L.quote.replace("{quote}", () => quote.quote); // quotation marks of the page's language
        item.append(label, link);
        list.appendChild(item);
      }
    }
  }

  const drawn = Object.entries(jobs).map(([name, job]) =>
    job()
      .then((built) => draw(name, built))
      .catch((error) => failed(name, error)),
  );
  Promise.all(drawn).then(() => {
    // Milliseconds from the start of navigation to the last chart drawn (benchmark).
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    document.body.dataset.dashboard = "ready";
  });
})();
