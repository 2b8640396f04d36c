// ECharts options and table alternatives built from the topic dashboard's API answers.
// Each builder returns {option, table: {head, rows}, drill(params) -> mentions URL or null}.
"use strict";
(function () {
  const COLORS = { negative: "#c0392b", neutral: "#7f8c8d", positive: "#1e8449", none: "#bdc3c7" };
  const STANCE = { advocate: "#1e8449", detractor: "#c0392b", neutral: "#7f8c8d" };
  const SENTIMENTS = ["positive", "neutral", "negative", "none"];

  const axisTime = { type: "time" };
  const value = { type: "value", minInterval: 1 };

  function volume(current, before, L, ctx) {
    const ghost = current.buckets.map((bucket, i) => [
      bucket.start,
      before.buckets[i] ? before.buckets[i].posts : null,
    ]);
    return {
      option: {
        tooltip: { trigger: "axis" },
        legend: { data: [L.posts, L.previous_period] },
        xAxis: axisTime,
        yAxis: value,
        series: [
          {
            name: L.posts,
            type: "line",
            smooth: true,
            areaStyle: { opacity: 0.15 },
            data: current.buckets.map((b) => [b.start, b.posts]),
          },
          {
            name: L.previous_period,
            type: "line",
            smooth: true,
            silent: true,
            symbol: "none",
            lineStyle: { type: "dashed", opacity: 0.45 },
            itemStyle: { opacity: 0.45 },
            data: ghost,
          },
        ],
      },
      table: {
        head: [L.bucket, L.posts, L.previous_period, L.reach, L.engagement],
        rows: current.buckets.map((b, i) => [
          HP.moment(b.start),
          HP.number(b.posts),
          before.buckets[i] ? HP.number(before.buckets[i].posts) : "–",
          HP.number(b.reach),
          HP.number(b.engagement),
        ]),
        links: current.buckets.map((b) => bucketLink(b.start, ctx)),
      },
      drill: (p) => (p.seriesIndex === 0 ? bucketLink(p.value[0], ctx) : null),
    };
  }

  function bucketLink(start, ctx, extra) {
    return HP.mentionsUrl({
      topic: ctx.topic,
      since: new Date(start),
      until: HP.bucketEnd(start, ctx.granularity),
      ...(extra || {}),
    });
  }

  function sentiment(data, L, ctx) {
    const series = SENTIMENTS.map((label) => ({
      name: L[label],
      type: "bar",
      stack: "sentiment",
      itemStyle: { color: COLORS[label] },
      data: data.trend.map((p) => [p.start, p.counts[label] || 0]),
    }));
    series.push({
      name: L.net,
      type: "line",
      yAxisIndex: 1,
      itemStyle: { color: "#1f4e79" },
      data: data.trend.map((p) => [p.start, p.net]),
    });
    return {
      option: {
        tooltip: { trigger: "axis" },
        legend: { data: [...SENTIMENTS.map((s) => L[s]), L.net] },
        xAxis: axisTime,
        yAxis: [value, { type: "value", min: -1, max: 1, name: L.net }],
        series,
      },
      table: {
        head: [L.bucket, ...SENTIMENTS.map((s) => L[s]), L.net],
        rows: data.trend.map((p) => [
          HP.moment(p.start),
          ...SENTIMENTS.map((s) => HP.number(p.counts[s] || 0)),
          p.net === null ? "–" : p.net.toFixed(2),
        ]),
        links: data.trend.map((p) => bucketLink(p.start, ctx)),
      },
      drill: (p) =>
        p.seriesIndex < SENTIMENTS.length
          ? bucketLink(p.value[0], ctx, { sentiment: SENTIMENTS[p.seriesIndex] })
          : null,
    };
  }

  function share(data, L, ctx) {
    const names = Object.keys(data.overall);
    return {
      option: {
        tooltip: { trigger: "item", valueFormatter: (v) => HP.percent(v) },
        legend: { type: "scroll", bottom: 0 },
        series: [
          {
            name: L.share_of_voice,
            type: "pie",
            radius: ["35%", "70%"],
            data: names.map((name) => ({
              name,
              value: data.overall[name].share_posts,
              selected: name === ctx.topic,
            })),
          },
        ],
      },
      table: {
        head: [L.topic, L.posts, L.share_posts, L.reach, L.share_reach],
        rows: names.map((n) => {
          const s = data.overall[n];
          return [n, HP.number(s.posts), HP.percent(s.share_posts), HP.number(s.reach), HP.percent(s.share_reach)];
        }),
        links: names.map((n) => HP.mentionsUrl({ topic: n, since: ctx.start, until: ctx.end })),
      },
      drill: (p) => HP.mentionsUrl({ topic: p.name, since: ctx.start, until: ctx.end }),
    };
  }

  function authors(top, ranks, L, ctx) {
    const score = Object.fromEntries(ranks.map((r) => [r.author, r.score]));
    const shown = [...top].reverse(); // ECharts draws category axes bottom-up
    return {
      option: {
        tooltip: { trigger: "item" },
        grid: { left: 160 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: shown.map((a) => a.name || a.author) },
        series: [
          {
            name: L.followers,
            type: "bar",
            data: shown.map((a) => ({ value: a.followers, itemStyle: { color: STANCE[a.stance] } })),
          },
        ],
      },
      table: {
        head: [L.author, L.followers, L.posts, L.engagement, L.authority, L.stance],
        rows: top.map((a) => [
          a.name ? `${a.name} (${a.author})` : a.author,
          HP.number(a.followers),
          HP.number(a.posts),
          HP.number(a.engagement),
          score[a.author] === undefined ? "–" : score[a.author].toFixed(3),
          L[a.stance] || a.stance,
        ]),
        links: top.map((a) => authorLink(a.author, ctx)),
      },
      drill: (p) => authorLink(shown[p.dataIndex].author, ctx),
    };
  }

  function authorLink(author, ctx) {
    return HP.mentionsUrl({ topic: ctx.topic, author, since: ctx.start, until: ctx.end });
  }

  function wordLink(word, ctx) {
    return HP.mentionsUrl({ topic: ctx.topic, q: word, since: ctx.start, until: ctx.end });
  }

  function themes(data, L, ctx) {
    const shown = [...data.themes].reverse();
    const rising = [...data.rising].reverse();
    return {
      option: {
        tooltip: { trigger: "item" },
        grid: [{ left: 140, right: "55%" }, { left: "60%", right: 20 }],
        xAxis: [{ type: "value", gridIndex: 0, name: L.posts }, { type: "value", gridIndex: 1, name: L.burst }],
        yAxis: [
          { type: "category", gridIndex: 0, data: shown.map((t) => t.label) },
          { type: "category", gridIndex: 1, data: rising.map((t) => t.label) },
        ],
        series: [
          { name: L.themes, type: "bar", data: shown.map((t) => t.size) },
          {
            name: L.rising_terms,
            type: "bar",
            xAxisIndex: 1,
            yAxisIndex: 1,
            itemStyle: { color: "#d68910" },
            data: rising.map((t) => t.burst),
          },
        ],
      },
      table: {
        head: [L.theme, L.posts, L.rising_terms, L.burst],
        rows: Array.from({ length: Math.max(data.themes.length, data.rising.length) }, (_, i) => [
          data.themes[i] ? data.themes[i].label : "",
          data.themes[i] ? HP.number(data.themes[i].size) : "",
          data.rising[i] ? data.rising[i].label : "",
          data.rising[i] ? data.rising[i].burst.toFixed(2) : "",
        ]),
        links: data.themes.map((t) => wordLink(t.label, ctx)),
      },
      drill: (p) => wordLink((p.seriesIndex === 0 ? shown : rising)[p.dataIndex].label, ctx),
    };
  }

  function voice(data, L, ctx) {
    const shown = [...data.aspects].reverse();
    return {
      option: {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: {},
        grid: { left: 140 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: shown.map((a) => L["aspect_" + a.name] || a.name) },
        series: ["positive", "neutral", "negative"].map((label) => ({
          name: L[label],
          type: "bar",
          stack: "aspects",
          itemStyle: { color: COLORS[label] },
          data: shown.map((a) => a.counts[label] || 0),
        })),
      },
      table: {
        head: [L.aspect, L.mentions, L.positive, L.neutral, L.negative, L.net],
        rows: data.aspects.map((a) => [
          L["aspect_" + a.name] || a.name,
          HP.number(a.mentions),
          HP.number(a.counts.positive || 0),
          HP.number(a.counts.neutral || 0),
          HP.number(a.counts.negative || 0),
          a.net === null ? "–" : a.net.toFixed(2),
        ]),
        links: data.aspects.map((a) => (a.quotes[0] ? threadLink(a.quotes[0].post_id) : null)),
      },
      drill: (p) => {
        const quote = shown[p.dataIndex].quotes[0];
        return quote ? threadLink(quote.post_id) : null;
      },
    };
  }

  function threadLink(postId) {
    return `/mentions/${postId}`;
  }

  function split(totals, L, ctx, key) {
    const names = Object.keys(totals).sort((a, b) => totals[b] - totals[a]);
    const all = names.reduce((sum, n) => sum + totals[n], 0);
    const label = (n) => (key === "lang" ? L["lang_" + n] || n : n);
    const link = (n) => HP.mentionsUrl({ topic: ctx.topic, [key]: n, since: ctx.start, until: ctx.end });
    return {
      option: {
        tooltip: { trigger: "item" },
        legend: { type: "scroll", bottom: 0 },
        series: [
          {
            type: "pie",
            radius: ["35%", "70%"],
            data: names.map((n) => ({ name: label(n), value: totals[n], key: n })),
          },
        ],
      },
      table: {
        head: [key === "lang" ? L.language : L.source, L.posts, L.share],
        rows: names.map((n) => [label(n), HP.number(totals[n]), HP.percent(all ? totals[n] / all : 0)]),
        links: names.map(link),
      },
      drill: (p) => link(p.data.key),
    };
  }

  function earned(data, L, ctx) {
    const names = Object.keys(data.by_source);
    const money = new Intl.NumberFormat(HP.lang, { style: "currency", currency: data.currency });
    const link = (n) => HP.mentionsUrl({ topic: ctx.topic, source: n, since: ctx.start, until: ctx.end });
    return {
      option: {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: {},
        xAxis: { type: "category", data: names },
        yAxis: [{ type: "value", name: L.impressions }, { type: "value", name: data.currency }],
        series: [
          { name: L.impressions, type: "bar", data: names.map((n) => data.by_source[n].impressions) },
          {
            name: L.earned_media_value,
            type: "bar",
            yAxisIndex: 1,
            data: names.map((n) => data.by_source[n].value),
          },
        ],
      },
      table: {
        head: [L.source, L.posts, L.impressions, L.earned_media_value],
        rows: [...names, null].map((n) => {
          const r = n === null ? data.total : data.by_source[n];
          return [n === null ? L.total : n, HP.number(r.posts), HP.number(Math.round(r.impressions)), money.format(r.value)];
        }),
        links: [...names.map(link), null],
      },
      drill: (p) => link(names[p.dataIndex]),
      kpis: {
        impressions: HP.compact(data.total.impressions),
        value: money.format(data.total.value),
      },
    };
  }

  function sums(volumeAnswer) {
    const totals = {};
    for (const bucket of volumeAnswer.buckets) {
      for (const [name, n] of Object.entries(bucket.split)) totals[name] = (totals[name] || 0) + n;
    }
    return totals;
  }

  window.HP = Object.assign(window.HP || {}, {
    dashboardCharts: { volume, sentiment, share, authors, themes, voice, split, earned, sums, threadLink },
  });
})();
