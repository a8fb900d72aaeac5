/* Household registration: members are added and removed at will. A household starts
   with its head only (a man living alone is a household of one).
   "Add a member" copies the empty member form of the formset (a <template> rendered by
   Django) with the next index, by DOM cloning, never by HTML strings, and puts the cursor
   in its first name. "Remove this member" marks the member's DELETE field and hides the
   block, so the formset's numbering never has a hole and a removed block is never checked.
   A static file because the Content Security Policy forbids inline scripts. */
(function () {
  "use strict";
  var button = document.getElementById("add-member");
  var template = document.getElementById("member-template");
  var total = document.getElementById("id_members-TOTAL_FORMS");
  if (!button || !template || !total) { return; }
  button.addEventListener("click", function () {
    var index = String(parseInt(total.value, 10) || 0);
    var fragment = template.content.cloneNode(true);
    fragment.querySelectorAll("*").forEach(function (node) {
      Array.prototype.forEach.call(node.attributes, function (attribute) {
        if (attribute.value.indexOf("__prefix__") !== -1) {
          attribute.value = attribute.value.split("__prefix__").join(index);
        }
      });
    });
    var block = fragment.firstElementChild;
    button.parentNode.insertBefore(fragment, button);
    total.value = String(parseInt(index, 10) + 1);
    var first = block && block.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  });
  document.addEventListener("click", function (event) {
    var remove = event.target && event.target.closest ? event.target.closest("[data-remove-member]") : null;
    if (!remove) { return; }
    var block = remove.closest(".member-form");
    var flag = block && block.querySelector("[data-member-delete]");
    if (!flag) { return; }
    flag.value = "on";
    block.hidden = true;
    button.focus();
  });
})();
