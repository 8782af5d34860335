// The queue's bulk actions: "select every case on this page" and a count of those ticked. Rows that
// "More cases" adds (htmx) join in. Without JavaScript each row's box still works; only these two are hidden.
(function () {
  "use strict";
  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input[name="cases"][form="bulk-form"]'));
  }
  function update() {
    var all = document.getElementById("bulk-all");
    var count = document.getElementById("bulk-count");
    if (!all || !count) return;
    var rows = boxes();
    var ticked = rows.filter(function (box) { return box.checked; }).length;
    count.textContent = ticked === 1 ? "1 case selected" : ticked + " cases selected";
    all.checked = rows.length > 0 && ticked === rows.length;
    all.indeterminate = ticked > 0 && ticked < rows.length;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.getElementById("bulk-all");
    var count = document.getElementById("bulk-count");
    if (!all || !count) return;
    all.hidden = false;
    count.hidden = false;
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
      update();
    });
    document.addEventListener("change", function (event) {
      if (event.target.name === "cases") update();
    });
    document.body.addEventListener("htmx:afterSwap", update);
    update();
  });
})();
