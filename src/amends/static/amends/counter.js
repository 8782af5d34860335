// A long text field says how much room is left instead of letting the browser cut a paste silently.
// The field's maxlength moves to data-max (the server still refuses anything longer, with a message), so a
// paste lands whole and the customer sees how much to trim; without JavaScript the hint states the limit.
(function () {
  "use strict";
  function wire(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var counter = document.getElementById(field.id + "_counter");
    if (!max || !counter) return;
    field.removeAttribute("maxlength");
    field.setAttribute("data-max", String(max));
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var left = max - field.value.length;
      if (left >= 0) {
        counter.textContent = left.toLocaleString("en-GB") + " of " + max.toLocaleString("en-GB") + " characters left";
        counter.classList.remove("error");
      } else {
        counter.textContent = (-left).toLocaleString("en-GB") + " characters too many: please shorten it to " +
          max.toLocaleString("en-GB") + " or fewer (nothing has been cut)";
        counter.classList.add("error");
      }
    }
    field.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[maxlength]").forEach(wire);
  });
})();
