// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Select the freshly created API token so it can be copied at once.
  document.addEventListener("DOMContentLoaded", function () {
    var token = document.getElementById("new-token");
    if (token) { token.focus(); token.select(); }
  });
  // htmx keeps the CSRF token in hx-headers on <body>; nothing else is needed here.
})();
