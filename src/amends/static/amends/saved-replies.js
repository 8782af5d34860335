// Insert a saved reply into the reply box where the cursor is, without reloading the page. Without this script
// the Insert form still works: it reloads the case page with the reply box filled in (?saved_reply=). Either
// way the reply box then tells its listeners it changed, so the reply coach reads the new draft.
(function () {
  "use strict";
  function insert(box, text) {
    if (box.value.trim() === "") {
      box.value = text;
    } else if (box.dataset.touched) {
      // A paragraph of its own when the cursor is at the end of a line of text.
      var before = box.value.slice(0, box.selectionStart);
      var gap = before !== "" && !/\n\s*$/.test(before) ? "\n\n" : "";
      box.setRangeText(gap + text, box.selectionStart, box.selectionEnd, "end");
    } else {
      box.value = box.value.replace(/\s*$/, "") + "\n\n" + text;
    }
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  }
  function wire(form) {
    var select = form.querySelector("select");
    var box = document.getElementById(form.getAttribute("data-target"));
    var status = document.getElementById(form.getAttribute("data-status"));
    if (!select || !box) return;
    // Only once someone has put the cursor in the box does "where the cursor is" mean anything.
    ["focus", "keyup", "mouseup"].forEach(function (name) {
      box.addEventListener(name, function () { box.dataset.touched = "1"; });
    });
    form.addEventListener("submit", function (event) {
      var option = select.options[select.selectedIndex];
      var url = option && option.getAttribute("data-text-url");
      if (!url || !window.fetch) return;
      event.preventDefault();
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          insert(box, data.body);
          if (status) status.textContent = "Inserted “" + data.title + "” into the reply box";
        })
        .catch(function () { form.submit(); }); // the page fills it in instead
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.saved-reply-insert").forEach(wire);
  });
})();
