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
   the one way data passes from Django to JavaScript. */
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

  /* The parsed content of a {{ value|json_script:"id" }} element, or null without one. */
  function data(id) {
    var node = id ? document.getElementById(id) : null;
    return node ? JSON.parse(node.textContent) : null;
  }

  window.Amina = Object.freeze({ escapeHtml: escapeHtml, link: link, data: data });

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
