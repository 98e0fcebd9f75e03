// The export page's progress bar: asks the job's status (JSON) every second and moves the bar, until
// the file is ready (the download link appears) or the job failed (its message appears).
(function () {
  "use strict";

  const POLL_MS = 1000;

  function start(box) {
    const url = box.dataset.exportStatusUrl;
    const bar = box.querySelector("progress");
    const state = box.querySelector("[data-export-state]");
    const percent = box.querySelector("[data-export-percent]");
    const message = box.querySelector("[data-export-message]");
    const ready = box.querySelector("[data-export-ready]");
    const link = box.querySelector("[data-export-link]");

    function show(status) {
      bar.value = status.progress;
      bar.textContent = status.progress + "%";
      percent.textContent = status.progress + "%";
      state.textContent = status.state_label;
      if (status.message) {
        message.textContent = status.message;
        message.hidden = false;
      }
      if (status.download) {
        link.href = status.download;
        ready.hidden = false;
      }
      return status.state === "done" || status.state === "failed";
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (status) {
          if (!show(status)) window.setTimeout(poll, POLL_MS);
        })
        .catch(function () {
          window.setTimeout(poll, POLL_MS * 5); // the network or the server hiccuped: try again later
        });
    }

    if (ready.hidden && message.hidden) window.setTimeout(poll, POLL_MS);
  }

  document.querySelectorAll("[data-export-status-url]").forEach(start);
})();
