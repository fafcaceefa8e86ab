// Every htmx request carries Django's CSRF token as X-CSRFToken.
// The token is read at request time from the page's own form field (the sign-out form is on every
// signed-in page), else from the CSRF cookie, so pages carry no extra, differently masked copy of it:
// a hidden record's 404 stays byte-for-byte the same as a missing one's.
(function () {
  "use strict";
  function csrfToken() {
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    if (field && field.value) {
      return field.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
})();
