// The site works without this file. With it: tables marked "sortable" sort by a click on a
// header, and seeder/leecher/completed counts on the page refresh every 15 seconds.
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var raw = cell.getAttribute("data-value") || cell.textContent.trim();
    return type === "num" ? parseFloat(raw) || 0 : raw.toLowerCase();
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var type = th.getAttribute("data-type");
      if (!type) { return; }
      th.tabIndex = 0;
      var sort = function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, type), y = cellValue(b, index, type);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }

  function setCount(scope, cls, value) {
    var el = scope.querySelector("." + cls);
    if (el && el.textContent !== String(value)) {
      el.textContent = String(value);
      el.classList.remove("flash");
      void el.offsetWidth; // restart the highlight
      el.classList.add("flash");
    }
  }

  function refreshCounts() {
    var scopes = document.querySelectorAll("[data-hash]");
    if (scopes.length === 0) { return; }
    var hashes = Array.prototype.map.call(scopes, function (s) { return s.getAttribute("data-hash"); });
    fetch("/live?h=" + hashes.slice(0, 200).join(","), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (counts) {
        Array.prototype.forEach.call(scopes, function (s) {
          var c = counts[s.getAttribute("data-hash")];
          if (c) { setCount(s, "live-s", c[0]); setCount(s, "live-l", c[1]); setCount(s, "live-c", c[2]); }
        });
      })
      .catch(function () { /* offline for a moment: keep the numbers shown */ });
  }

  function confirmDeletes() {
    Array.prototype.forEach.call(document.querySelectorAll("form.confirm"), function (f) {
      f.addEventListener("submit", function (e) {
        if (!window.confirm("Delete for good?")) { e.preventDefault(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
    confirmDeletes();
    document.documentElement.classList.add("js");
    window.setInterval(refreshCounts, 15000);
  });
})();
