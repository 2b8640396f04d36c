/* Fitting a chart to its canvas and its page's language (used by charts.js):
 *
 * - localise(option, numberOf): every value axis formats its numbers in the page's
 *   language (ECharts' own formatting is English: "1,500,000", "0.5"), and axis names
 *   sit inside the canvas instead of being cut off at its edge.
 * - fit(chart, option, spec): changes the option for the canvas's width, measured on
 *   the chart as drawn (charts.js measures a first pass, and again on each resize):
 *   category labels all shown, wrapped or rotated until they no longer overlap; the
 *   legend wraps into rows with room kept under the plot; a donut's legend names each
 *   slice with its share.
 */
(function () {
  "use strict";

  const FONT_SIZE = 12;
  const LINE = 16; // a label's line height at FONT_SIZE
  const GAP = 6; // between neighbouring category labels
    let measure;

  const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

  function font() {
    return `${FONT_SIZE}px ${getComputedStyle(document.body).fontFamily}`;
  }

  function textWidth(text) {
    measure = measure || document.createElement("canvas").getContext("2d");
    measure.font = font();
    return measure.measureText(String(text)).width;
  }

  function isValueAxis(axis, key) {
    return (axis.type || (key === "yAxis" ? "value" : "category")) === "value";
  }

  function localise(option, numberOf) {
    for (const key of ["xAxis", "yAxis"]) {
      list(option[key]).forEach((axis, index) => {
        if (!isValueAxis(axis, key)) return;
        axis.axisLabel = Object.assign({ formatter: numberOf(index) }, axis.axisLabel);
        if (axis.name) {
          // Above the axis, growing inwards: the first y axis is on the left, a second on the right.
          axis.nameTextStyle = Object.assign({ align: index === 0 ? "left" : "right" }, axis.nameTextStyle);
          axis.nameGap = axis.nameGap || 10;
        }
      });
    }
    // The plot shrinks until labels and axis names fit (ECharts 6 "outerBounds").
    option.grid = Object.assign({}, option.grid, { outerBoundsMode: "same", outerBoundsContain: "all" });
    delete option.grid.containLabel;
    return option;
  }

  // How many lines `labels` need when wrapped at word boundaries to `width`.
  function lines(label, width) {
    let count = 1;
    let used = 0;
    for (const word of String(label).split(/\s+/)) {
      const size = textWidth(word);
      if (used && used + textWidth(" ") + size > width) {
        count += 1;
        used = size;
      } else {
        used += (used ? textWidth(" ") : 0) + size;
      }
    }
    return count;
  }

  function bandWidth(chart, names) {
    if (names.length < 2) return chart.getWidth();
    const first = chart.convertToPixel({ xAxisIndex: 0 }, names[0]);
    const second = chart.convertToPixel({ xAxisIndex: 0 }, names[1]);
    return Math.abs(second - first);
  }

  // Every category label shown: side by side, wrapped at spaces, or rotated as far as needed.
  function categoryLabels(chart, axis) {
    const names = (axis.data || []).map(String);
    if (!names.length) return null;
    const room = bandWidth(chart, names) - GAP;
    const widest = Math.max(...names.map(textWidth));
    if (widest <= room) return { rotate: 0, interval: 0, width: null, overflow: "none" };
    const longestWord = Math.max(...names.flatMap((n) => n.split(/\s+/)).map(textWidth));
    if (longestWord <= room && Math.max(...names.map((n) => lines(n, room))) <= 3) {
      return { rotate: 0, interval: 0, width: room, overflow: "break" };
    }
    const angle = [30, 45, 60, 90].find((a) => LINE / Math.sin((a * Math.PI) / 180) <= room + GAP);
    if (angle) return { rotate: angle, interval: 0, width: null, overflow: "none" };
    // Too many for the width even upright: every n-th label (the table lists them all).
    return { rotate: 90, interval: Math.ceil(LINE / (room + GAP)) - 1, width: null, overflow: "none" };
  }

  // The legend's height when its items flow into rows across `width` (ECharts' plain legend).
  function legendHeight(names, width) {
    if (!names.length) return 0;
    let rows = 1;
    let used = 0;
    for (const name of names) {
      const size = 25 + 5 + textWidth(name) + 10; // icon, gap, text, gap to the next item
      if (used && used + size - 10 > width - 10) {
        rows += 1;
        used = 0;
      }
      used += size;
    }
    return rows * 22 + 10;
  }

  function isPie(option) {
    return Boolean(option.series[0] && option.series[0].type === "pie");
  }

  // The legend's entries as drawn: a donut's slice names with their shares.
  function legendTexts(option, label) {
    const legend = list(option.legend)[0];
    if (!legend || legend.show === false) return [];
    return isPie(option) ? option.series[0].data.map((d) => label(d.name)) : option.series.map((s) => s.name);
  }

  function shareLabel(spec, formatPercent) {
    const values = spec.series[0].values;
    const total = values.reduce((sum, v) => sum + (v || 0), 0);
    const shares = Object.fromEntries(spec.x.values.map((name, i) => [String(name), total ? values[i] / total : 0]));
    return (name) => `${name}: ${formatPercent(shares[name])}`;
  }

  // A donut's slices are named in the legend with their shares: outside labels get cut
  // short or collide as soon as slices are thin or the canvas narrow.
  function pie(chart, legendSpace, label) {
    const width = chart.getWidth();
    const height = chart.getHeight() - legendSpace - 8;
    const outer = Math.max(30, Math.min(width * 0.4, height / 2 - 4));
    return {
      legend: { formatter: label },
      series: [{ center: [width / 2, height / 2 + 4], radius: [outer * 0.57, outer], label: { show: false }, labelLine: { show: false } }],
    };
  }

  // Changes `option` to fit the canvas `chart` has now, measured on its current drawing.
  function fit(chart, option, spec, formatPercent) {
    const label = isPie(option) ? shareLabel(spec, formatPercent) : String;
    const legendSpace = legendHeight(legendTexts(option, label), chart.getWidth());
    if (isPie(option)) {
      const fitted = pie(chart, legendSpace, label);
      Object.assign(option.legend, fitted.legend);
      Object.assign(option.series[0], fitted.series[0]);
      return;
    }
    option.grid.bottom = legendSpace + 8;
    const axis = list(option.xAxis)[0];
    if (axis && !isValueAxis(axis, "xAxis") && axis.type !== "time") {
      const labels = categoryLabels(chart, axis);
      if (labels) axis.axisLabel = Object.assign({}, axis.axisLabel, labels);
    }
  }

  window.Horchposten = Object.assign(window.Horchposten || {}, { chartFit: { localise, fit } });
})();
