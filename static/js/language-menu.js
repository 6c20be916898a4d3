// The language menu applies on choosing (the CSP forbids inline handlers; without
// scripts, a <noscript> button submits it).
document.getElementById("language-select")?.addEventListener("change", (e) => e.target.form.submit());
