// copy.js: the copy button of a token shown once (an invite's). The
// button stays hidden without JavaScript; the token is then selected by
// hand from its read-only field.
"use strict";
document.querySelectorAll("button.copy[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  if (!field) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", () => {
    const say = (text) => { if (status) { status.textContent = text; } };
    field.focus();
    field.select();
    if (!navigator.clipboard) {
      say(button.dataset.failed);
      return;
    }
    navigator.clipboard.writeText(field.value).then(() => say(button.dataset.copied), () => say(button.dataset.failed));
  });
});
