// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  if (document.querySelector("[data-autoprint]")) window.print();

  // A second click while the first submission is on its way would only be refused by the server
  // (the form carries an intake key); disabling the button saves the clerk the confusion.
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
    });
  });

  // Search-as-you-type for the window's service box, with the server's Arabic folding.
  const list = document.querySelector("datalist[data-source]");
  const input = list && document.querySelector(`input[list="${list.id}"]`);
  if (input) {
    let timer;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const url = `${list.dataset.source}?q=${encodeURIComponent(input.value)}`;
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const { services } = await response.json();
        list.replaceChildren(...services.map((s) => Object.assign(document.createElement("option"), { value: `${s.code} — ${s.name}` })));
      }, 150);
    });
  }
});
