/* Household registration: "Add a member" copies the empty member form of the formset
   (a <template> rendered by Django) with the next index, by DOM cloning, never by HTML
   strings. A static file because the Content Security Policy forbids inline scripts. */
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
    button.parentNode.insertBefore(fragment, button);
    total.value = String(parseInt(index, 10) + 1);
  });
})();
