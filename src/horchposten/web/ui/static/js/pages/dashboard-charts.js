// Chart specs for the topic dashboard, built from its /api/v1 answers, in the shape the
// shell's chart helper draws (static/js/charts.js: kind, x, series, option, table).
// Each builder returns {spec, links, drill(params)}: links are the drill-down URL of each
// table row, drill maps a click on the chart to the mentions behind it.
"use strict";
(function () {
  const COLORS = { negative: "#c0392b", neutral: "#7f8c8d", positive: "#1e8449", none: "#bdc3c7" };
  const SENTIMENTS = ["positive", "neutral", "negative", "none"];

  function bucketLink(start, ctx, extra) {
    return HP.mentionsUrl({
      topic: ctx.topic,
      since: new Date(start),
      until: HP.bucketEnd(start, ctx.granularity),
      ...(extra || {}),
    });
  }

  function periodLink(ctx, extra) {
    return HP.mentionsUrl({ topic: ctx.topic, since: ctx.start, until: ctx.end, ...extra });
  }

  function volume(current, before, L, ctx) {
    const starts = current.buckets.map((b) => b.start);
    const ghost = current.buckets.map((_, i) => (before.buckets[i] ? before.buckets[i].posts : null));
    return {
      spec: {
        kind: "line",
        x: { type: "time", values: starts, label: L.bucket, granularity: ctx.granularity },
        y: { label: L.posts },
        series: [
          { name: L.posts, values: current.buckets.map((b) => b.posts) },
          { name: L.previous_period, values: ghost, ghost: true },
        ],
        table: {
          columns: [L.bucket, L.posts, L.previous_period, L.reach, L.engagement],
          rows: current.buckets.map((b, i) => [
            HP.moment(b.start),
            HP.number(b.posts),
            HP.number(ghost[i]),
            HP.number(b.reach),
            HP.number(b.engagement),
          ]),
        },
      },
      links: starts.map((s) => bucketLink(s, ctx)),
      drill: (p) => (p.seriesIndex === 0 ? bucketLink(p.value[0], ctx) : null),
    };
  }

  function sentiment(data, L, ctx) {
    const starts = data.trend.map((p) => p.start);
    const net = {
      name: L.net,
      type: "line",
      yAxisIndex: 1,
      showSymbol: false,
      itemStyle: { color: "#1f4e79" },
      data: data.trend.map((p) => [p.start, p.net]),
    };
    const bars = SENTIMENTS.map((label) => ({
      name: L[label],
      type: "bar",
      stack: "total",
      itemStyle: { color: COLORS[label] },
      data: data.trend.map((p) => [p.start, p.counts[label] || 0]),
    }));
    return {
      spec: {
        kind: "stacked-bar",
        x: { type: "time", values: starts, label: L.bucket, granularity: ctx.granularity },
        series: [...SENTIMENTS.map((s) => ({ name: L[s], values: data.trend.map((p) => p.counts[s] || 0) }))],
        option: {
          yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: -1, max: 1, name: L.net }],
          series: [...bars, net],
        },
        table: {
          columns: [L.bucket, ...SENTIMENTS.map((s) => L[s]), L.net],
          rows: data.trend.map((p) => [
            HP.moment(p.start),
            ...SENTIMENTS.map((s) => HP.number(p.counts[s] || 0)),
            p.net === null ? "–" : HP.number(p.net, { maximumFractionDigits: 2 }),
          ]),
        },
      },
      links: starts.map((s) => bucketLink(s, ctx)),
      drill: (p) =>
        p.seriesIndex < SENTIMENTS.length
          ? bucketLink(p.value[0], ctx, { sentiment: SENTIMENTS[p.seriesIndex] })
          : null,
    };
  }

  function share(data, L, ctx) {
    const names = Object.keys(data.overall);
    const link = (n) => HP.mentionsUrl({ topic: n, since: ctx.start, until: ctx.end });
    return {
      spec: {
        kind: "pie",
        x: { type: "category", values: names, label: L.topic },
        series: [{ name: L.share_of_voice, values: names.map((n) => data.overall[n].posts) }],
        table: {
          columns: [L.topic, L.posts, L.share_posts, L.reach, L.share_reach],
          rows: names.map((n) => {
            const s = data.overall[n];
            return [n, HP.number(s.posts), HP.percent(s.share_posts), HP.number(s.reach), HP.percent(s.share_reach)];
          }),
        },
      },
      links: names.map(link),
      drill: (p) => link(p.name),
    };
  }

  function authors(top, ranks, L, ctx) {
    const score = Object.fromEntries(ranks.map((r) => [r.author, r.score]));
    const STANCE = { advocate: "#1e8449", detractor: "#c0392b", neutral: "#7f8c8d" };
    const link = (a) => periodLink(ctx, { author: a.author });
    const mark = { advocate: "▲ ", detractor: "▼ ", neutral: "" };
    return {
      spec: {
        kind: "bar",
        x: { type: "category", values: top.map((a) => a.name || a.author), label: L.author },
        series: [{ name: L.followers, values: top.map((a) => a.followers) }],
        option: {
          series: [
            {
              type: "bar",
              name: L.followers,
              data: top.map((a) => ({ value: a.followers, itemStyle: { color: STANCE[a.stance] } })),
            },
          ],
        },
        table: {
          columns: [L.author, L.followers, L.posts, L.engagement, L.authority, L.stance],
          rows: top.map((a) => [
            a.name ? `${a.name} (${a.author})` : a.author,
            HP.number(a.followers),
            HP.number(a.posts),
            HP.number(a.engagement),
            score[a.author] === undefined ? "–" : HP.number(score[a.author], { maximumFractionDigits: 3 }),
            mark[a.stance] + (L[a.stance] || a.stance),
          ]),
        },
      },
      links: top.map(link),
      drill: (p) => link(top[p.dataIndex]),
    };
  }

  function themes(data, L, ctx) {
    const link = (t) => periodLink(ctx, { q: t.label });
    return {
      spec: {
        kind: "bar",
        x: { type: "category", values: data.themes.map((t) => t.label), label: L.theme },
        series: [{ name: L.posts, values: data.themes.map((t) => t.size) }],
        table: {
          columns: [L.theme, L.posts, L.examples],
          rows: data.themes.map((t) => [t.label, HP.number(t.size), t.examples.map((e) => e.text.slice(0, 80)).join(" · ")]),
        },
      },
      links: data.themes.map(link),
      drill: (p) => link(data.themes[p.dataIndex]),
    };
  }

  function rising(data, L, ctx) {
    const link = (t) => periodLink(ctx, { q: t.label });
    return {
      spec: {
        kind: "bar",
        x: { type: "category", values: data.rising.map((t) => t.label), label: L.rising_terms },
        series: [{ name: L.burst, values: data.rising.map((t) => t.burst) }],
        option: { color: ["#d68910"] },
        table: {
          columns: [L.rising_terms, L.posts, L.previous_period, L.burst],
          rows: data.rising.map((t) => [
            t.label,
            HP.number(t.posts),
            HP.number(t.previous),
            HP.number(t.burst, { maximumFractionDigits: 2 }),
          ]),
        },
      },
      links: data.rising.map(link),
      drill: (p) => link(data.rising[p.dataIndex]),
    };
  }

  function threadLink(postId) {
    return `/mentions/${postId}`;
  }

  function voice(data, L) {
    const polar = ["positive", "neutral", "negative"];
    const name = (a) => L["aspect_" + a.name] || a.name;
    const link = (a) => (a.quotes[0] ? threadLink(a.quotes[0].post_id) : null);
    return {
      spec: {
        kind: "stacked-bar",
        x: { type: "category", values: data.aspects.map(name), label: L.aspect },
        series: polar.map((s) => ({ name: L[s], values: data.aspects.map((a) => a.counts[s] || 0) })),
        option: { color: polar.map((s) => COLORS[s]) },
        table: {
          columns: [L.aspect, L.mentions, L.positive, L.neutral, L.negative, L.net],
          rows: data.aspects.map((a) => [
            name(a),
            HP.number(a.mentions),
            ...polar.map((s) => HP.number(a.counts[s] || 0)),
            a.net === null ? "–" : HP.number(a.net, { maximumFractionDigits: 2 }),
          ]),
        },
      },
      links: data.aspects.map(link),
      drill: (p) => link(data.aspects[p.dataIndex]),
    };
  }

  function split(totals, L, ctx, key) {
    const names = Object.keys(totals).sort((a, b) => totals[b] - totals[a]);
    const all = names.reduce((sum, n) => sum + totals[n], 0);
    const label = (n) => (key === "lang" ? L["lang_" + n] || n : n);
    const link = (n) => periodLink(ctx, { [key]: n });
    return {
      spec: {
        kind: "pie",
        x: { type: "category", values: names.map(label), label: key === "lang" ? L.language : L.source },
        series: [{ name: L.posts, values: names.map((n) => totals[n]) }],
        table: {
          columns: [key === "lang" ? L.language : L.source, L.posts, L.share],
          rows: names.map((n) => [label(n), HP.number(totals[n]), HP.percent(all ? totals[n] / all : 0)]),
        },
      },
      links: names.map(link),
      drill: (p) => link(names[p.dataIndex]),
    };
  }

  function earned(data, L, ctx) {
    const names = Object.keys(data.by_source);
    const money = new Intl.NumberFormat(HP.lang, { style: "currency", currency: data.currency });
    const link = (n) => periodLink(ctx, { source: n });
    return {
      spec: {
        kind: "bar",
        x: { type: "category", values: names, label: L.source },
        series: [
          { name: L.impressions, values: names.map((n) => data.by_source[n].impressions) },
          { name: L.earned_media_value, values: names.map((n) => data.by_source[n].value) },
        ],
        option: {
          yAxis: [{ type: "value", name: L.impressions }, { type: "value", name: data.currency }],
          series: [
            { type: "bar", name: L.impressions, data: names.map((n) => data.by_source[n].impressions) },
            {
              type: "bar",
              name: L.earned_media_value,
              yAxisIndex: 1,
              data: names.map((n) => data.by_source[n].value),
              tooltip: { valueFormatter: (v) => money.format(v) },
            },
          ],
        },
        table: {
          columns: [L.source, L.posts, L.impressions, L.earned_media_value],
          rows: [...names, null].map((n) => {
            const r = n === null ? data.total : data.by_source[n];
            return [n === null ? L.total : n, HP.number(r.posts), HP.number(Math.round(r.impressions)), money.format(r.value)];
          }),
        },
      },
      links: [...names.map(link), null],
      drill: (p) => link(names[p.dataIndex]),
      kpis: { impressions: HP.compact(data.total.impressions), value: money.format(data.total.value) },
    };
  }

  function sums(answer) {
    const totals = {};
    for (const bucket of answer.buckets) {
      for (const [name, n] of Object.entries(bucket.split)) totals[name] = (totals[name] || 0) + n;
    }
    return totals;
  }

  window.HP = Object.assign(window.HP || {}, {
    dashboardCharts: { volume, sentiment, share, authors, themes, rising, voice, split, earned, sums, threadLink },
  });
})();
