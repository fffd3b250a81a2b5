(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var data = JSON.parse(document.getElementById("jl-data").textContent);
  var highlights = data.highlights;

  // -- filters: every row or section that carries data-row follows them ----------
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));

  function wanted() {
    return { sev: form.sev.value, rule: form.rule.value, kind: form.kind.value, team: form.team.value };
  }

  function matches(el, f) {
    var d = el.dataset;
    if (f.kind && d.kind !== f.kind) return false;
    if (f.team && d.team !== f.team) return false;
    if (d.row === "finding") {
      return (!f.sev || d.sev === f.sev) && (!f.rule || d.rule === f.rule);
    }
    if (d.row === "rule") {
      return (!f.sev || d.sev === f.sev) && (!f.rule || d.rule === f.rule) && !f.kind && !f.team;
    }
    // a journey: shown when it has a finding of that severity and rule
    if (f.sev && (" " + d.sevs + " ").indexOf(" " + f.sev + " ") < 0) return false;
    if (f.rule && (" " + d.rules + " ").indexOf(" " + f.rule + " ") < 0) return false;
    return true;
  }

  function applyFilters() {
    var f = wanted();
    var shown = 0, total = 0;
    rows.forEach(function (el) {
      var ok = matches(el, f);
      el.hidden = !ok;
      if (el.dataset.row === "finding") {
        total += 1;
        if (ok) shown += 1;
      }
    });
    form.shown.value = shown + " of " + total + " findings shown";
  }

  form.hidden = false;
  form.addEventListener("change", applyFilters);
  form.addEventListener("reset", function () { setTimeout(applyFilters, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  applyFilters();

  // -- sortable tables ------------------------------------------------------------------
  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return numeric ? -Infinity : "";
    var v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
    if (!numeric) return v.toLowerCase();
    return v === "" ? -Infinity : parseFloat(v);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      th.tabIndex = 0;
      function sort() {
        var numeric = th.dataset.type === "num";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var list = Array.prototype.slice.call(body.rows);
        list.forEach(function (r, i) { r._order = i; });
        list.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var c = x < y ? -1 : x > y ? 1 : a._order - b._order;
          return ascending ? c : -c;
        });
        list.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });

  // -- selecting a finding or an effort figure highlights its states ----------------------
  var current = null;

  function clear() {
    Array.prototype.forEach.call(document.querySelectorAll(".hl, .focus, .selected"), function (el) {
      el.classList.remove("hl", "focus", "selected");
    });
    Array.prototype.forEach.call(document.querySelectorAll("svg.dim"), function (el) { el.classList.remove("dim"); });
  }

  function select(id, from) {
    var h = highlights[id];
    if (!h) return;
    clear();
    current = id;
    var svg = document.getElementById(h.d);
    if (!svg) return;
    var prefix = svg.id.slice(0, -1);
    var target = null;
    h.p.forEach(function (i, n) {
      var node = document.getElementById(prefix + "s" + i);
      if (node) { node.classList.add("hl"); target = target || node; }
      if (n > 0) {
        var edge = document.getElementById(prefix + "e" + h.p[n - 1] + "-" + i);
        if (edge) edge.classList.add("hl");
      }
    });
    if (h.s !== null && h.s !== undefined) {
      var state = document.getElementById(prefix + "s" + h.s);
      if (state) { state.classList.add("hl", "focus"); target = state; }
    }
    if (h.p.length || h.s !== null) svg.classList.add("dim");
    Array.prototype.forEach.call(document.querySelectorAll('[data-hl="' + id + '"]'), function (el) {
      el.classList.add("selected");
    });
    (target || svg).scrollIntoView({ block: "center", inline: "center" });
    if (from && from.tagName === "LI") from.scrollIntoView({ block: "nearest" });
  }

  function activate(event) {
    if (event.target.closest("a, button, select, summary")) return;
    var el = event.target.closest("[data-hl]");
    if (!el || !el.dataset.hl) return;
    if (current === el.dataset.hl && event.type === "click") { clear(); current = null; return; }
    select(el.dataset.hl, el);
  }

  document.addEventListener("click", activate);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.closest && e.target.closest("[data-hl]")) activate(e);
    if (e.key === "Escape") { clear(); current = null; }
  });
})();
