/* Charts of the displacement pages (Chart.js, vendored) and the location map (Leaflet).
   Data comes from json_script elements named by each canvas's data-chart attribute. */
(function () {
  "use strict";
  var rtl = document.documentElement.dir === "rtl";
  var palette = ["#0b4f6c", "#d94801", "#2a9d8f", "#e9c46a", "#6c757d", "#b02a37", "#8e44ad", "#264653", "#f4a261", "#adb5bd"];
  var data = Amina.data;
  document.querySelectorAll("canvas.amina-chart").forEach(function (canvas) {
    var d = data(canvas.dataset.chart);
    if (!d || typeof Chart === "undefined") { return; }
    var datasets = (d.datasets || [{ label: d.label || "", data: d.values || d.idps || [] }]).map(function (s, i) {
      return { label: s.label, data: s.data, backgroundColor: s.colors || (canvas.dataset.kind === "doughnut" ? palette : palette[i]) };
    });
    // Long names (shelter types, governorates, periods) are wrapped or shortened to fit
    // (Amina.chartLabel); the tooltip shows the full name. No chart here has a time axis.
    var legendLabels = Chart.overrides.doughnut.plugins.legend.labels.generateLabels;
    new Chart(canvas, {
      type: canvas.dataset.kind,
      data: { labels: d.labels, datasets: datasets },
      options: { responsive: true, indexAxis: canvas.dataset.kind === "bar" ? "y" : "x",
        plugins: {
          legend: { display: canvas.dataset.kind === "doughnut" || datasets.length > 1, rtl: rtl,
            labels: canvas.dataset.kind === "doughnut" ? { generateLabels: function (chart) {
              return legendLabels(chart).map(function (item) { item.text = Amina.chartLabel(item.text, 24, 1)[0]; return item; });
            } } : {} },
          tooltip: { rtl: rtl, callbacks: { title: function (items) { return items.length ? d.labels[items[0].dataIndex] : ""; } } }
        },
        scales: canvas.dataset.kind === "bar" ? {
          y: { position: rtl ? "right" : "left", ticks: { autoSkip: false, callback: function (v) { return Amina.chartLabel(this.getLabelForValue(v), 18, 2); } } },
          x: { reverse: rtl }
        } : {} }
    });
  });
  var el = document.getElementById("location-map");
  if (el && typeof L !== "undefined") {
    var points = data(el.dataset.points) || [];
    var map = Amina.map(el).setView([33.2, 43.7], 6);
    if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map); }
    fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (o) {
      L.geoJSON(o, { style: { color: "#6c757d", weight: 1, fillColor: "#e9ecef", fillOpacity: 0.6 }, interactive: false }).addTo(map);
    }).catch(function () {});
    var max = 0, bounds = L.latLngBounds([]);
    points.forEach(function (p) { max = Math.max(max, p.value); });
    points.forEach(function (p) {
      var r = max > 0 ? 3 + 17 * Math.sqrt(p.value / max) : 4;
      L.circleMarker([p.lat, p.lon], { radius: r, color: "#7f2704", weight: 1, fillColor: "#d94801", fillOpacity: 0.6 })
        .bindTooltip(Amina.escapeHtml(p.name) + ": " + Amina.escapeHtml(Amina.number(p.value))).addTo(map);
      bounds.extend([p.lat, p.lon]);
    });
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.2)); }
    el.dataset.loaded = String(points.length);
  }
})();
