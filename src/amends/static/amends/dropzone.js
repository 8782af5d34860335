// A file box that also takes files dropped on it. Without JavaScript it is the browser's own
// <input type=file multiple>, and the form works the same: this only adds the drop target and a list of what
// is chosen. The server checks every file's kind and size whatever happens here.
(function () {
  "use strict";
  function size(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }
  function wire(zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input || zone.hasAttribute("data-wired")) return;
    zone.setAttribute("data-wired", "");
    var max = parseInt(zone.getAttribute("data-max-bytes"), 10) || 0;
    var note = document.createElement("p");
    note.className = "drop-note";
    note.textContent = "Or drop files here.";
    var list = document.createElement("ul");
    list.className = "chosen";
    list.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    note.insertAdjacentElement("afterend", list);
    function show() {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.textContent = file.name + " (" + size(file.size) + ")";
        if (max && file.size > max) {
          item.className = "error";
          item.textContent += ": too large, it will be refused";
        }
        list.appendChild(item);
      });
    }
    function over(event) {
      if (!event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) return;
      event.preventDefault();
      zone.classList.add("dragging");
    }
    zone.addEventListener("dragenter", over);
    zone.addEventListener("dragover", over);
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      zone.classList.remove("dragging");
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      event.preventDefault();
      // Dropped files join those already chosen: the input's list can only be replaced whole.
      var all = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { all.items.add(f); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (f) { all.items.add(f); });
      input.files = all.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    input.addEventListener("change", show);
    show();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(wire);
  });
})();
