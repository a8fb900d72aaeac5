/* Needs map: one marker per assessed location, coloured by the severity of the chosen
   sector (grey when that sector was not assessed). Data comes from a json_script. */
(function () {
  "use strict";
  var el = document.getElementById("needs-map");
  if (!el || typeof L === "undefined") { return; }
  var esc = Amina.escapeHtml;
  var points = Amina.data("needs-points") || [];
  var legend = Amina.data("needs-legend") || [];
  var colours = {};
  legend.forEach(function (l) { colours[l.value] = l; });
  var map = Amina.map(el, { zoomSnap: 0.25 }).setView([33.2, 43.7], 6);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (outline) {
    L.geoJSON(outline, { style: { color: "#6c757d", weight: 1, fillColor: "#e9ecef", fillOpacity: 0.6 }, interactive: false }).addTo(map);
  }).catch(function () {});
  // The key to the colours, on the map itself (a phone shows no table beside it).
  var key = L.control({ position: "bottomleft" });
  key.onAdd = function () {
    var div = L.DomUtil.create("div", "map-legend");
    div.setAttribute("data-testid", "map-legend");
    legend.forEach(function (l) {
      var row = document.createElement("div");
      var dot = document.createElement("i");
      dot.style.width = "12px";
      dot.style.height = "12px";
      dot.style.background = l.bg;
      dot.style.opacity = "1";
      row.appendChild(dot);
      row.appendChild(document.createTextNode(l.value + " – " + l.label));
      div.appendChild(row);
    });
    return div;
  };
  if (legend.length) { key.addTo(map); }
  var layer = L.layerGroup().addTo(map);
  var select = document.getElementById("map-sector");
  function draw() {
    layer.clearLayers();
    var code = select.value, bounds = L.latLngBounds([]), drawn = 0;
    points.forEach(function (p) {
      var v = p.sev[code], c = colours[v];
      var m = L.circleMarker([p.lat, p.lon], {
        radius: 8, weight: 1, color: "#343a40", fillOpacity: 0.9,
        fillColor: c ? c.bg : "#f8f9fa", className: "needs-marker"
      });
      // Names come from users and imported files: every piece is escaped.
      var text = Amina.link(p.url, p.name) + "<br>" + (c ? esc(v) + " – " + esc(c.label) : "–") + "<br>" + esc(p.date);
      m.bindTooltip(text).addTo(layer);
      if (m._path) { m._path.setAttribute("data-severity", v || ""); }
      bounds.extend(m.getLatLng());
      drawn += 1;
    });
    if (bounds.isValid()) {
      var box = key.getContainer ? key.getContainer() : null;
      map.fitBounds(bounds.pad(0.2), { maxZoom: 10,
        paddingTopLeft: [box ? box.offsetWidth + 10 : 40, 20], paddingBottomRight: [20, box ? box.offsetHeight + 10 : 20] });
    }
    el.dataset.loaded = String(drawn);
  }
  select.addEventListener("change", function () {
    var url = new URL(window.location.href);
    url.searchParams.set("sector", select.value);
    window.history.replaceState(null, "", url);
    draw();
  });
  draw();
})();
