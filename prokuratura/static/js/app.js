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
