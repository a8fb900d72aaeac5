/* Dashboard charts (Chart.js, vendored). The tables under each chart carry the same
   figures for screen readers and for browsers without JavaScript; a chart hides them.
   Time runs left to right in every language, as in the PDF's trend (reports/svg.py):
   a round's date reads the same in the page and on paper. Category labels are wrapped
   or shortened (Amina.chartLabel); the tooltip shows the full label. */
(function () {
  "use strict";
  // Labels reach the canvas only (Chart.js draws text, never HTML), so nothing here is escaped.
  var data = Amina.data("dashboard-data");
  if (!data || typeof Chart === "undefined") { return; }
  var rtl = document.documentElement.dir === "rtl";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  var fmt = Amina.number;
  function draw(id, type, series, colour, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas || !series || !series.labels.length) { return; }
    new Chart(canvas, {
      type: type,
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: colour, borderColor: colour, tension: 0.2 }] },
      options: {
        indexAxis: horizontal ? "y" : "x", responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { rtl: rtl, callbacks: {
          title: function (items) { return items.length ? series.labels[items[0].dataIndex] : ""; },
          label: function (c) { return fmt(c.parsed[horizontal ? "x" : "y"]); } } } },
        scales: {
          // Bars grow from the reading start (right in Arabic); time never runs backwards.
          x: { reverse: rtl && horizontal, ticks: { maxRotation: 0, autoSkip: true, callback: function (v) { return horizontal ? fmt(v) : Amina.chartLabel(this.getLabelForValue(v), 12, 2); } } },
          y: { position: rtl && horizontal ? "right" : "left", ticks: { callback: function (v) { return horizontal ? Amina.chartLabel(this.getLabelForValue(v), 18, 2) : fmt(v); } } }
        }
      }
    });
    // The fallback is a <div> around the table: a table ignores visually-hidden's width
    // and overflow, so with its nowrap a long label (Kurdish shelter names) made an unseen
    // table wider than a phone that widened the whole page.
    var fallback = canvas.parentNode.parentNode.querySelector(".chart-fallback");
    if (fallback) { fallback.classList.add("visually-hidden"); }
  }
  draw("chart-trend", "line", data.trend, "#0b4f6c", false);
  draw("chart-shelter", "bar", data.shelter, "#d94801", true);
  draw("chart-sectors", "bar", data.sectors, "#2b8a3e", true);
})();
