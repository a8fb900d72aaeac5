/* Amina's shared page script, loaded by base.html on every page before the page's own
   scripts. The Content Security Policy forbids inline scripts and inline event handlers
   (onclick=, onchange= …), so the few behaviours templates need are declared with data
   attributes and wired here, by delegation (they also work on htmx-swapped content):
     data-autosubmit     on a form control: submit its form when it changes;
     data-print          on a button: print the page;
     data-history-back   on a link: go back (its href stays as the fallback).
   Amina.escapeHtml is the ONE escaper for text that JavaScript puts into HTML (Leaflet
   tooltips and popups take HTML strings; so does innerHTML). Prefer textContent or
   building DOM nodes where that is as simple. Amina.data reads a json_script element,
   the one way data passes from Django to JavaScript. Amina.number is the ONE number
   format of scripts: the pages' (amina.lib.numbers). */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

  /* Text (any value; null and undefined give "") made safe inside HTML text and inside a
     quoted attribute value. */
  function escapeHtml(value) {
    return String(value == null ? "" : value).replace(/[&<>"'`]/g, function (c) { return ENTITIES[c]; });
  }

  /* A link for a tooltip: the URL is kept only if it is a path on this site, so a stored
     value can never become a javascript: or off-site link; the text is escaped. */
  function link(url, text) {
    var href = String(url == null ? "" : url);
    if (!/^\/(?!\/)/.test(href)) { return escapeHtml(text); }
    return "<a href=\"" + escapeHtml(href) + "\">" + escapeHtml(text) + "</a>";
  }

  /* A figure as the pages print it (amina.lib.numbers, amina.formats): Western digits
     grouped by thousands in every language. Intl's own digits for the page's language
     would print Kurdish figures as "١٬٢٣٤" beside the tables' "1,234". */
  var NUMBER = new Intl.NumberFormat(document.documentElement.lang || "en", { numberingSystem: "latn" });
  function number(value) { return NUMBER.format(value); }

  /* The parsed content of a {{ value|json_script:"id" }} element, or null without one. */
  function data(id) {
    var node = id ? document.getElementById(id) : null;
    return node ? JSON.parse(node.textContent) : null;
  }

  /* A Leaflet map whose zoom buttons speak the page's language (their titles come from
     base.html's <body data-zoom-in data-zoom-out>). Every map of Amina starts here. */
  function map(el, options) {
    var texts = document.body.dataset;
    var opts = { zoomControl: false };
    Object.keys(options || {}).forEach(function (k) { opts[k] = options[k]; });
    var m = L.map(el, opts);
    L.control.zoom({ zoomInTitle: texts.zoomIn || "+", zoomOutTitle: texts.zoomOut || "-" }).addTo(m);
    return m;
  }

  /* A chart label that fits beside a bar or under an axis: wrapped at spaces into lines of
     about `width` characters, at most `lines` lines, the last one shortened with "…".
     Chart.js draws an array as several lines; its tooltip keeps the full label. */
  function chartLabel(text, width, lines) {
    var words = String(text == null ? "" : text).split(/\s+/), out = [], line = "";
    width = width || 16; lines = lines || 2;
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) { out.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { out.push(line); }
    if (out.length > lines) { out = out.slice(0, lines); out[lines - 1] += "…"; }
    return out.map(function (l) { return l.length > width + 2 ? l.slice(0, width) + "…" : l; });
  }

  window.Amina = Object.freeze({ escapeHtml: escapeHtml, link: link, data: data, map: map, chartLabel: chartLabel, number: number });

  /* Tables on a phone. Each body cell gets its column's name (data-label, from the header
     cell's data-label, else its text) unless it has one; a table wider than its frame on a
     narrow screen gets .table-cards (amina.css): one card per row, each figure beside its
     name, instead of a frame whose edge cuts "80,772" into "0,772". On a wide screen a
     table too wide for its column first gets .table-compact (smaller type, headings that
     wrap), and cards only if that is not enough. A table that must stay a grid says
     data-cards="off". */
  var NARROW = window.matchMedia("(max-width: 767.98px)");
  function label(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) { return; }
    var names = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (th) {
      var text = th.getAttribute("data-label");
      if (text == null) { text = th.textContent.replace(/\s+/g, " ").trim(); }
      for (var i = 0; i < (th.colSpan || 1); i += 1) { names.push(text); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) { labelRows(body.rows, names); });
    if (table.tFoot) { labelRows(table.tFoot.rows, names); }
  }
  function labelRows(rows, names) {
    Array.prototype.forEach.call(rows, function (tr) {
      var col = 0;
      Array.prototype.forEach.call(tr.cells, function (cell) {
        if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && names[col] != null) {
          cell.setAttribute("data-label", names[col]);
        }
        col += cell.colSpan || 1;
      });
    });
  }
  function overflows(table) {
    var box = table.getBoundingClientRect();
    return table.scrollWidth > table.parentElement.clientWidth + 1 ||
      box.right > window.innerWidth + 1 || box.left < -1;
  }
  function cards(root) {
    (root || document).querySelectorAll("table.table").forEach(function (table) {
      if (table.getAttribute("data-cards") === "off") { return; }
      label(table);
      table.classList.remove("table-cards", "table-compact");
      if (table.getAttribute("data-cards") === "on" && NARROW.matches) {
        table.classList.add("table-cards");
        return;
      }
      if (!overflows(table)) { return; }
      // A wide screen first tries smaller type and wrapped headings; a phone goes to cards.
      if (!NARROW.matches) {
        table.classList.add("table-compact");
        if (!overflows(table)) { return; }
        table.classList.remove("table-compact");
      }
      table.classList.add("table-cards");
    });
  }
  cards(document);
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { cards(document); }, 150);
  });
  document.addEventListener("htmx:afterSwap", function (event) { cards(event.target); });

  /* A refused form: its error summary (core/_form_errors.html) takes the focus, so the
     page scrolls to it and a screen reader reads it; its links lead to the fields. */
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }
  document.addEventListener("click", function (event) {
    var a = event.target && event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    var field = a ? document.getElementById(a.getAttribute("href").slice(1)) : null;
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });

  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control && control.form && control.hasAttribute && control.hasAttribute("data-autosubmit")) {
      control.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target.closest("[data-print], [data-history-back]") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
