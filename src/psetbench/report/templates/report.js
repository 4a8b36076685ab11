(function () {
  "use strict";
  var all = function () { return document.querySelectorAll("details"); };
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    all().forEach(function (d) { if (!d.open) { opened.push(d); d.open = true; } });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  document.querySelectorAll("button[data-details]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-details") === "open";
      all().forEach(function (d) { d.open = open; });
    });
  });
  var reveal = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target) {
      target.querySelectorAll("details.answer").forEach(function (d) { d.open = true; });
    }
  };
  window.addEventListener("hashchange", reveal);
  reveal();
})();
