// The printed ticket: the kiosk prints it as soon as it shows (Chromium in kiosk mode with
// --kiosk-printing prints without a dialog), then returns to the queue buttons for the next citizen.
(function () {
  "use strict";
  const RETURN_AFTER_MS = 20000;
  const ticket = document.querySelector("[data-print-on-load]");
  if (!ticket) return;
  window.addEventListener("load", function () {
    window.print();
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
  window.setTimeout(function () {
    window.location.assign(ticket.dataset.returnTo);
  }, RETURN_AFTER_MS);
})();
