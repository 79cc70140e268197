// Draws the operations dashboard's charts with uPlot from the JSON the page embeds (no inline script, for the
// Content-Security-Policy). Each chart has a table beside it; the chart adds the shape over time, nothing more.
(function () {
  "use strict";
  var source = document.getElementById("operations-charts");
  if (!source || typeof uPlot === "undefined") return;
  var charts = JSON.parse(source.textContent);
  // Colour-blind-safe palette (Okabe-Ito); series also differ by dash so colour is not the only cue.
  var colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
  var dashes = [[], [6, 3], [2, 3], [8, 3, 2, 3]];

  document.querySelectorAll("[data-chart]").forEach(function (target) {
    var chart = charts[target.dataset.chart];
    if (!chart || chart.x.length < 2 || chart.series.length === 0) return;
    var series = [{}];
    var data = [chart.x];
    chart.series.forEach(function (s, i) {
      series.push({label: s.label, stroke: colours[i % colours.length], dash: dashes[i % dashes.length],
                   width: 2, spanGaps: false});
      data.push(s.values);
    });
    var plot = new uPlot({width: target.clientWidth || 600, height: 220, series: series,
                          scales: {y: {range: function (u, min, max) { return [Math.min(0, min), Math.max(1, max)]; }}}},
                         data, target);
    window.addEventListener("resize", function () {
      plot.setSize({width: target.clientWidth || 600, height: 220});
    });
  });
})();
