// Shared by Horchposten's pages: reading /api/v1 with the session, periods, links, formats.
"use strict";
(function () {
  const lang = document.documentElement.lang || "en";
  const numbers = new Intl.NumberFormat(lang);
  const compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });
  const days = new Intl.DateTimeFormat(lang, { dateStyle: "medium" });
  const moments = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // The same API the outside world uses; the browser's session stands in for a token.
  async function api(path, params, body) {
    const url = new URL("/api/v1" + path, location.origin);
    for (const [key, value] of Object.entries(params || {})) {
      for (const one of [].concat(value)) {
        if (one !== undefined && one !== null && one !== "") url.searchParams.append(key, one);
      }
    }
    const init = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CSRF-Token"] = csrf();
      init.body = JSON.stringify(body);
    }
    const answer = await fetch(url, init);
    const data = await answer.json();
    if (!answer.ok) throw new Error(data.error ? data.error.message : answer.statusText);
    return data;
  }

  const PRESETS = { "7d": 7, "30d": 30, "90d": 90, "12m": 365 };

  function nextHour(now) {
    const end = new Date(now);
    end.setMinutes(0, 0, 0);
    end.setHours(end.getHours() + 1);
    return end;
  }

  // The period the page shows: a preset (7d, 30d, 90d, 12m) or custom since/until days.
  function period(search) {
    const params = new URLSearchParams(search === undefined ? location.search : search);
    const since = params.get("since");
    const until = params.get("until");
    if (since && until) {
      const start = new Date(since);
      const end = new Date(until);
      if (!isNaN(start) && !isNaN(end) && start < end) return { range: "custom", start, end };
    }
    const range = PRESETS[params.get("range")] ? params.get("range") : "30d";
    const end = nextHour(Date.now());
    const start = new Date(end.getTime() - PRESETS[range] * 86400000);
    return { range, start, end };
  }

  function previous(current) {
    const length = current.end - current.start;
    return { start: new Date(current.start - length), end: new Date(current.start) };
  }

  function granularity(current) {
    const span = (current.end - current.start) / 86400000;
    if (span <= 2) return "hour";
    return span > 120 ? "week" : "day";
  }

  function bucketEnd(start, unit) {
    const end = new Date(start);
    if (unit === "hour") end.setHours(end.getHours() + 1);
    else if (unit === "week") end.setDate(end.getDate() + 7);
    else end.setDate(end.getDate() + 1);
    return end;
  }

  // A link into the mentions explorer with the filters behind a number on a chart.
  function mentionsUrl(filters) {
    const url = new URL("/mentions", location.origin);
    for (const [key, value] of Object.entries(filters)) {
      if (value === undefined || value === null || value === "") continue;
      url.searchParams.set(key, value instanceof Date ? value.toISOString() : value);
    }
    return url.pathname + url.search;
  }

  function labels() {
    const node = document.getElementById("page-labels");
    return node ? JSON.parse(node.textContent) : {};
  }

  // Resolves once the chart has drawn its last frame: on ECharts' "finished", or at once
  // when nothing animates any more (that event may have fired before we listened).
  function drawn(chart) {
    return new Promise((resolve) => {
      chart.on("finished", resolve);
      const check = () => {
        const animation = chart.getZr().animation;
        if (!animation || !animation.isFinished || animation.isFinished()) resolve();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  }

  window.HP = Object.assign(window.HP || {}, {
    api,
    drawn,
    period,
    previous,
    granularity,
    bucketEnd,
    mentionsUrl,
    labels,
    lang,
    number: (n, options) =>
      n === null || n === undefined ? "–" : (options ? new Intl.NumberFormat(lang, options) : numbers).format(n),
    // Rounded first: German short notation keeps thousands whole ("57.053", not "57.053,1").
    compact: (n) => (n === null || n === undefined ? "–" : compact.format(Math.round(n))),
    percent: (n) => (n === null || n === undefined ? "–" : percent.format(n)),
    day: (d) => days.format(new Date(d)),
    moment: (d) => moments.format(new Date(d)),
  });
})();
