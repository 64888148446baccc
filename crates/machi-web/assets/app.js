// machi: draws the charts whose data the server embedded as <script type="application/json"> blocks.
// Each series gets a fill pattern as well as a colour (Okabe–Ito, colour-blind safe) and a legend label,
// so the charts read in greyscale and in print. No network: Chart.js is served from /assets.
(function () {
  "use strict";
  var COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

  function pattern(i, color) {
    var c = document.createElement("canvas");
    c.width = c.height = 10;
    var g = c.getContext("2d");
    g.fillStyle = color;
    g.fillRect(0, 0, 10, 10);
    g.strokeStyle = "rgba(255,255,255,0.85)";
    g.fillStyle = "rgba(255,255,255,0.85)";
    g.lineWidth = 2;
    switch (i % 4) {
      case 0: break; // solid
      case 1: g.beginPath(); g.moveTo(0, 10); g.lineTo(10, 0); g.stroke(); break; // diagonal
      case 2: g.beginPath(); g.arc(5, 5, 2, 0, Math.PI * 2); g.fill(); break; // dots
      case 3: g.beginPath(); g.moveTo(0, 5); g.lineTo(10, 5); g.moveTo(5, 0); g.lineTo(5, 10); g.stroke(); break; // cross
    }
    return g.createPattern(c, "repeat");
  }

  function draw(canvas) {
    var block = document.getElementById(canvas.getAttribute("data-chart"));
    if (!block || typeof Chart === "undefined") { return null; }
    var spec = JSON.parse(block.textContent);
    var datasets = spec.datasets.map(function (d, i) {
      var color = COLORS[i % COLORS.length];
      return {
        label: d.label,
        data: d.data,
        backgroundColor: pattern(i, color),
        borderColor: "#222",
        borderWidth: 1
      };
    });
    var chart = new Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        plugins: {
          legend: { position: "top" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = ctx.parsed[spec.horizontal ? "x" : "y"];
                return ctx.dataset.label + ": " + (v === null ? "―" : v.toLocaleString("ja-JP")) + " " + spec.y_label;
              }
            }
          }
        },
        scales: (function () {
          var value = { title: { display: true, text: spec.y_label }, ticks: { callback: function (v) { return Number(v).toLocaleString("ja-JP"); } } };
          var cat = { ticks: { autoSkip: false } };
          return spec.horizontal ? { x: value, y: cat } : { x: cat, y: value };
        })()
      }
    });
    canvas.setAttribute("data-rendered", "1");
    return chart;
  }

  function init() {
    var charts = [];
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) {
      var c = canvases[i];
      // Give the canvas a sized box: a responsive chart fills its parent. Set through the CSSOM, which
      // the Content-Security-Policy allows (inline style attributes it would not).
      var box = document.createElement("div");
      box.className = "chart-box";
      box.style.position = "relative";
      box.style.height = (parseInt(c.getAttribute("height"), 10) || 320) + "px";
      c.parentNode.insertBefore(box, c);
      box.appendChild(c);
      var ch = draw(c);
      if (ch) { charts.push(ch); }
    }
    // Redraw at paper size before printing, so the chart is not cut or blurred.
    window.addEventListener("beforeprint", function () { charts.forEach(function (ch) { ch.resize(); }); });
    window.addEventListener("afterprint", function () { charts.forEach(function (ch) { ch.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
