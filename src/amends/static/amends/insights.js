// The insights charts: Chart.js (vendored, static/amends/vendor/chartjs) draws each chart from the data the
// page carries in <script type="application/json" id="insights-charts"> (Django's json_script; the CSP
// allows no inline script). Clicking a point opens the cases behind it; every chart also has a table of
// the same numbers, with the same links, for screen readers and keyboards.
(function () {
  "use strict";
  var COLOURS = ["#1d4f91", "#b4420d", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037"];
  window.amendsCharts = {};

  function draw(spec) {
    var canvas = document.getElementById("chart-" + spec.id);
    if (!canvas || !window.Chart) return;
    var datasets = spec.datasets.filter(function (d) { return !d.table_only; });
    var chart = new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: datasets.map(function (d, i) {
          return {
            label: d.label,
            data: d.data,
            links: d.links,
            borderColor: COLOURS[i % COLOURS.length],
            backgroundColor: COLOURS[i % COLOURS.length],
            borderDash: d.dashed ? [6, 4] : [],
            pointRadius: d.dashed ? 0 : 4,
            pointHoverRadius: 7,
            spanGaps: true,
            tension: 0.2
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "nearest", intersect: true },
        scales: {
          y: {
            beginAtZero: true,
            suggestedMax: spec.unit === "%" ? 100 : undefined,
            title: { display: true, text: spec.unit }
          }
        },
        plugins: { legend: { display: datasets.length > 1 } },
        onHover: function (event, elements) {
          var link = elements.length && linkOf(elements[0]);
          event.native.target.style.cursor = link ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          var link = elements.length && linkOf(elements[0]);
          if (link) window.location.assign(link);
        }
      }
    });
    function linkOf(element) {
      var d = chart.data.datasets[element.datasetIndex];
      return d.links && d.links[element.index];
    }
    window.amendsCharts[spec.id] = chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("insights-charts");
    if (!source) return;
    JSON.parse(source.textContent).forEach(draw);
  });
})();
