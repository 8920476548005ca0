// Draws the dashboard's charts with plotly.js (served from the installed plotly package). Every number is
// also in the tables on the page, so the page is complete without scripts.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("chart-data");
    if (!el || !window.Plotly) { return; }
    var d = JSON.parse(el.textContent);
    var font = { family: "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif", size: 12 };
    var base = { margin: { l: 48, r: 48, t: 16, b: 48 }, font: font, paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)", legend: { orientation: "h", y: -0.18 } };
    var config = { displaylogo: false, responsive: true, locale: "zh-CN",
      modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"] };
    function layout(extra) { return Object.assign({}, base, extra); }

    Plotly.newPlot("chart-months", [
      { type: "bar", name: "行政处罚案件", x: d.months, y: d.penalty, marker: { color: "#2563eb" } },
      { type: "bar", name: "其中非现场", x: d.months, y: d.non_site, marker: { color: "#0d9488" } },
      { type: "scatter", mode: "lines+markers", name: "非现场占比（%）", x: d.months, y: d.share, yaxis: "y2",
        line: { color: "#f59e0b" }, connectgaps: true },
      { type: "scatter", mode: "lines", name: "目标（%）", x: d.months, y: d.months.map(function () { return d.target; }),
        yaxis: "y2", line: { color: "#dc2626", dash: "dot" } }
    ], layout({ barmode: "group", yaxis: { title: { text: "起" }, rangemode: "tozero" },
      yaxis2: { title: { text: "%" }, overlaying: "y", side: "right", range: [0, 100], dtick: 25, showgrid: false } }), config);

    var st = d.stations;
    var max = Math.max.apply(null, st.map(function (s) { return s.n; }).concat([1]));
    Plotly.newPlot("chart-stations", [{
      type: "scatter", mode: st.length > 8 ? "markers" : "markers+text", x: st.map(function (s) { return s.lon; }),
      y: st.map(function (s) { return s.lat; }), text: st.map(function (s) { return s.name; }),
      textposition: "top center", customdata: st.map(function (s) { return s.url; }),
      hovertemplate: "%{text}<br>线索 %{marker.size:.0f}<extra></extra>",
      marker: { size: st.map(function (s) { return 10 + 30 * s.n / max; }), sizemode: "diameter",
        color: st.map(function (s) { return s.n; }), cmin: 0, colorscale: "YlOrRd", showscale: st.length > 1,
        colorbar: { title: { text: "线索" } }, line: { color: "#334155", width: 1 } }
    }], layout({ xaxis: { title: { text: "经度" } }, yaxis: { title: { text: "纬度" }, scaleanchor: "x" },
      annotations: st.length ? [] : [{ text: "本期没有线索", showarrow: false, font: { size: 14 } }] }), config);
    document.getElementById("chart-stations").on("plotly_click", function (ev) {
      var url = ev.points && ev.points[0] && ev.points[0].customdata;
      if (url) { window.location.href = url; }
    });

    Plotly.newPlot("chart-sources", [{ type: "pie", labels: d.sources.labels, values: d.sources.n, hole: 0.45,
      textinfo: "label+value", sort: false }], layout({ showlegend: false }), config);
    Plotly.newPlot("chart-bands", [{ type: "bar", x: d.bands.labels, y: d.bands.n,
      marker: { color: d.bands.labels.map(function (_, i) { return i === d.bands.labels.length - 1 ? "#dc2626" : "#2563eb"; }) } }],
      layout({ yaxis: { title: { text: "条" }, rangemode: "tozero" } }), config);
    document.body.dataset.chartsReady = "true";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
