// Translations for the page's own texts. The server embeds the active language's
// catalogue (locale/<code>/LC_MESSAGES/djangojs.po, compiled) as JSON in
// #i18n-catalogue; without one (English, node tests) every text is its own msgid.
// Call gettext with a string literal: `manage.py makemessages -d djangojs` finds it.

let catalogue = null;

function load() {
  if (catalogue) return catalogue;
  const node = globalThis.document?.getElementById("i18n-catalogue");
  catalogue = node ? JSON.parse(node.textContent) : {};
  return catalogue;
}

export function gettext(text) {
  const found = load()[text];
  return typeof found === "string" && found ? found : text;
}

// A text with a singular and a plural: the catalogue holds [singular, plural] for it.
// Plural rule n != 1 (English, German, Spanish...); a language with other rules needs more.
export function ngettext(singular, plural, n) {
  const found = load()[singular];
  const forms = Array.isArray(found) && found.every((f) => typeof f === "string" && f) ? found : [singular, plural];
  return n === 1 ? forms[0] : forms[1];
}

// "{name} moved" with { name: "Tile" }: named placeholders, so a translation may reorder them.
export function interpolate(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// The page's language (<html lang>), for Intl formatting; undefined: the browser's.
export function pageLocale() {
  return globalThis.document?.documentElement?.lang || undefined;
}

// Tests: use this catalogue instead of the page's.
export function useCatalogue(entries) {
  catalogue = entries;
}
