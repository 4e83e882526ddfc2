/* Phones: below 576 px a table marked .table-cards shows each row as a card (static/css/app.css).
   Each cell is labelled with its column heading so a card reads "状态：已提交"; the first cell is the
   card's title, shown in full. Without this script the table still works; cells are just unlabelled. */
(function () {
  "use strict";
  function label(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) { return; }
    var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      var index = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label") && names[index]) { cell.setAttribute("data-label", names[index]); }
        index += cell.colSpan || 1;
      });
    });
  }
  function run() { Array.prototype.forEach.call(document.querySelectorAll("table.table-cards"), label); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
