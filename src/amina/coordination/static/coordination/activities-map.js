/* 4W map: one circle per activity, coloured by MCOF sector; text is escaped. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  var palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
                 "#666666", "#1f78b4", "#b2df8a", "#fb9a99", "#fdbf6f", "#cab2d6", "#6a3d9a", "#b15928"];
  var esc = Amina.escapeHtml;
  var map = Amina.map(el).setView([33.2, 43.7], 5.5);
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map); }
  fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (o) {
    L.geoJSON(o, { style: { color: "#6c757d", weight: 1, fillColor: "#e9ecef", fillOpacity: 0.6 }, interactive: false }).addTo(map);
  }).catch(function () {});
  fetch(el.dataset.activities, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var bounds = L.latLngBounds([]);
    data.features.forEach(function (f, i) {
      var p = f.properties, c = f.geometry.coordinates;
      var jitter = (i % 7) * 0.004;
      var m = L.circleMarker([c[1] + jitter, c[0] + jitter], { radius: 6 + Math.min(14, Math.sqrt(p.reached) / 4), color: "#333", weight: 1,
        fillColor: palette[(p.sector_code - 1) % palette.length], fillOpacity: 0.75, className: "amina-activity" });
      m.bindTooltip("<strong>" + esc(p.organisation) + "</strong><br>" + esc(p.sector) + "<br>" + esc(p.activity) + "<br>" + esc(p.place) + " · " + esc(p.status) + "<br>" + esc(el.dataset.labelReached) + ": " + esc(Amina.number(p.reached)));
      m.addTo(map); bounds.extend(m.getLatLng());
    });
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.2)); }
    el.dataset.loaded = String(data.features.length);
  });
})();
