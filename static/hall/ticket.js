// The ticket's page refreshes its card every 10 s (and at once when the phone comes back to it), so a
// citizen waiting outside sees the line move and "your turn" without touching the page.
(function () {
  "use strict";
  const holder = document.querySelector("[data-refresh]");
  if (!holder) return;
  const url = holder.dataset.refresh;
  let busy = false;

  async function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" }, cache: "no-store" });
      if (response.ok) {
        const html = await response.text();
        const next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-ticket-card]");
        const card = holder.querySelector("[data-ticket-card]");
        if (next && card && next.outerHTML !== card.outerHTML) card.replaceWith(next);
      }
    } catch (error) {
      // Offline for a moment: the next round tries again.
    } finally {
      busy = false;
    }
  }

  window.setInterval(refresh, 10000);
  document.addEventListener("visibilitychange", refresh);
})();
