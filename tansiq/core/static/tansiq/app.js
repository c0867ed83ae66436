// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Select the freshly created API token so it can be copied at once.
  document.addEventListener("DOMContentLoaded", function () {
    var token = document.getElementById("new-token");
    if (token) { token.focus(); token.select(); }
  });
  // Long lists of checkboxes (core/forms/grouped_checkboxes.html): show the filter box and narrow
  // the options by name as one types; groups with nothing left are hidden.
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670]/g, "").toLowerCase();
  }
  function enhanceChoices(root) {
    root.querySelectorAll("[data-choice-filter]").forEach(function (box) {
      var input = box.querySelector(".grouped-choices-filter");
      var none = box.querySelector(".grouped-choices-none");
      if (!input || input.dataset.ready) { return; }
      input.dataset.ready = "1";
      input.hidden = false;
      input.addEventListener("input", function () {
        var term = fold(input.value.trim());
        var shown = 0;
        box.querySelectorAll(".grouped-choices-group").forEach(function (group) {
          var inGroup = 0;
          group.querySelectorAll(".form-check").forEach(function (option) {
            var match = !term || fold(option.textContent).indexOf(term) !== -1;
            option.hidden = !match;
            if (match) { inGroup += 1; }
          });
          group.hidden = inGroup === 0;
          shown += inGroup;
        });
        if (none) { none.hidden = shown !== 0; }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceChoices(document); });
  document.addEventListener("htmx:load", function (event) { enhanceChoices(event.target); });
  // htmx keeps the CSRF token in hx-headers on <body>; nothing else is needed here.
})();
