// Quick exit: leave the platform at once for a neutral site. The neutral site opens in a new tab
// (which has no history of this platform) and this tab is replaced by it, so its back button
// does not return to the page that was showing. Pressing Esc twice does the same.
(function () {
  "use strict";
  function leave(url) {
    try {
      window.open(url, "_blank", "noopener,noreferrer");
    } catch (error) {
      // A blocked pop-up must not stop the exit itself.
    }
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-quick-exit]");
    if (link) {
      event.preventDefault();
      leave(link.href);
    }
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    if (now - lastEscape < 1000) {
      var link = document.querySelector("a[data-quick-exit]");
      if (link) {
        leave(link.href);
      }
    }
    lastEscape = now;
  });
})();
