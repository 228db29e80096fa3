// Injected by `tilbook serve` only (never written into a built page): reloads the page after each
// rebuild and shows build errors as an overlay until they are fixed.
(function () {
  "use strict";
  var overlay = null;
  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "tilbook-error-overlay";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.zIndex = "2147483647";
      s.padding = "1rem 1.2rem"; s.background = "#b3261e"; s.color = "#fff";
      s.font = "14px/1.5 ui-monospace, monospace"; s.whiteSpace = "pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "tilbook: the last edit broke the build; showing the previous version.\n\n" + message;
  }
  var source = new EventSource("/__tilbook__/events");
  source.addEventListener("hello", function (e) {
    var data = JSON.parse(e.data);
    if (data.error) { showError(data.error); }
  });
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("error", function (e) {
    if (e.data) { showError(JSON.parse(e.data).error); }
  });
})();
