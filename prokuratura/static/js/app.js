// Progressive enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Submit the language form as soon as a language is chosen (the button stays for keyboard and no-JS users).
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  // Confirm destructive actions declared with data-confirm="…" (no inline handlers: CSP forbids them).
  document.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
  // Print buttons declared with data-print (the receipt); without the script, the browser's own Print works.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // After a preview, take the reader to the letter.
  const preview = document.getElementById("letter-preview");
  if (preview) preview.focus();
  // After a refused form, take keyboard and screen-reader users to the summary of what to correct.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // Progress bars declared with data-value / data-max get their width here (CSP forbids inline styles).
  document.querySelectorAll("[data-progress]").forEach((el) => {
    el.style.width = `${el.getAttribute("data-progress")}%`;
  });
});
document.addEventListener("htmx:afterSwap", (event) => {
  event.detail.target.querySelectorAll("[data-progress]").forEach((el) => {
    el.style.width = `${el.getAttribute("data-progress")}%`;
  });
});
// A list's "select all" box (data-select-all="<name of the row boxes>"): shown only where this script runs (without it
// the rows are ticked one by one); it ticks or clears the row boxes of its own form. Delegated, so it works on the
// regions htmx swaps in and on the pages it restores from its history.
const showSelectAll = (root) => {
  root.querySelectorAll("[data-select-all]").forEach((box) => { box.hidden = false; });
};
document.addEventListener("DOMContentLoaded", () => showSelectAll(document));
document.addEventListener("htmx:load", (event) => showSelectAll(event.detail.elt));
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all") || !box.form) return;
  const name = box.getAttribute("data-select-all") || "appeal";
  box.form.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((row) => { row.checked = box.checked; });
});
// File inputs that carry the service's limits (data-max-bytes, data-max-count): a file too large, or one too many, is
// refused in the browser with the service's own message, so the form is not sent and what was typed stays on the
// page (a body over the proxy's limit would otherwise be answered with an error page). The server checks again.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.hasAttribute("data-max-bytes")) return;
  const maxBytes = Number(input.getAttribute("data-max-bytes"));
  const maxCount = Number(input.getAttribute("data-max-count") || "0");
  let message = "";
  if (maxCount && input.files.length > maxCount) {
    message = input.getAttribute("data-too-many") || "";
  } else {
    const big = Array.from(input.files).find((file) => file.size > maxBytes);
    if (big) message = (input.getAttribute("data-too-large") || "").replace("{name}", big.name);
  }
  input.setCustomValidity(message);
  if (message) input.reportValidity();
});
