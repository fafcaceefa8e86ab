// When htmx swaps in a form that came back with errors, the focus moves to the first field in
// error: a keyboard or screen-reader user lands where the fix is. The error itself is announced
// (role="alert") and tied to its field (aria-describedby). Without JavaScript the whole page
// comes back with the same errors and messages.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.target;
    if (!swapped || !swapped.querySelector) {
      return;
    }
    var invalid = swapped.querySelector('[aria-invalid="true"]');
    if (invalid) {
      invalid.focus();
    }
  });
})();
