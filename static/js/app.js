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

  // Errors: the summary takes the focus, so a screen reader reads it and Tab leads to its links.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // A block shown only while its checkbox is ticked (the attorney's details).
  document.querySelectorAll("[data-reveals]").forEach((checkbox) => {
    const block = document.getElementById(checkbox.dataset.reveals);
    if (!block) return;
    const sync = () => { block.hidden = !checkbox.checked; };
    checkbox.addEventListener("change", sync);
    sync();
  });

  // "All the required documents received" ticks (or unticks) each required document at once.
  document.querySelectorAll("[data-ticks-all]").forEach((master) => {
    const boxes = document.querySelectorAll(master.dataset.ticksAll);
    master.addEventListener("change", () => boxes.forEach((box) => { box.checked = master.checked; }));
    boxes.forEach((box) => box.addEventListener("change", () => {
      master.checked = [...boxes].every((b) => b.checked);
    }));
  });

  document.querySelectorAll("[data-combobox]").forEach(combobox);
});

// The window's service box: an ARIA 1.2 combobox with a list of suggestions from the server (Arabic
// folded, exact names first). Arrow keys move through the list, Enter picks, Escape closes; the
// number of suggestions is announced. With nothing picked, Enter sends what was typed: the server
// takes an exact name or code as it is.
function combobox(root) {
  const input = root.querySelector("[role=combobox]");
  const list = root.querySelector("[role=listbox]");
  const status = root.querySelector("[data-combobox-status]");
  let options = [];
  let active = -1;
  let timer;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
    if (index < 0) { input.removeAttribute("aria-activedescendant"); return; }
    const item = list.children[index];
    input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  };
  const pick = (index) => {
    input.value = options[index].label;
    close();
  };
  const show = (services) => {
    options = services;
    list.replaceChildren(...services.map((service, i) => {
      const item = document.createElement("li");
      item.id = `${list.id}-${i}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = service.name;
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = ` — ${service.code}`;
      item.append(code);
      item.addEventListener("mousedown", (event) => { event.preventDefault(); pick(i); });
      return item;
    }));
    const open = services.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    active = -1;
    const wording = services.length === 1 ? root.dataset.oneResult : root.dataset.results;
    status.textContent = wording.replace("{n}", services.length);
  };
  const suggest = async () => {
    const ticket = ++asked;
    const response = await fetch(`${root.dataset.source}?q=${encodeURIComponent(input.value)}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok || ticket !== asked) return;
    show((await response.json()).services);
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) { suggest(); return; }
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + options.length) % options.length);
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
}

// Complaint forms: fill the position from the phone's location, when the browser has one and the
// citizen agrees (the button stays hidden where there is no geolocation).
(() => {
  const box = document.querySelector("[data-geolocate]");
  if (!box || !("geolocation" in navigator)) return;
  const status = box.querySelector("[data-geolocate-status]");
  box.hidden = false;
  box.querySelector("button").addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        document.querySelector("input[name=latitude]").value = position.coords.latitude.toFixed(6);
        document.querySelector("input[name=longitude]").value = position.coords.longitude.toFixed(6);
        status.textContent = status.dataset.done;
      },
      () => { status.textContent = status.dataset.failed; },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });
})();
