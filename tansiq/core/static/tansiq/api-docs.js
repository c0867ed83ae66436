/* Boots Swagger UI on /api/v1/docs against the API's OpenAPI description. A file, not an inline
   script, so the page keeps the site's Content-Security-Policy (script-src 'self'). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  var csrfToken = root.dataset.csrfToken;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null, // no badge fetched from swagger.io: the page works offline
    // Browser-session writes carry Django's CSRF token, as the site's own forms do.
    requestInterceptor: function (request) {
      if (csrfToken) request.headers["X-CSRFToken"] = csrfToken;
      return request;
    },
  });
})();
