// Times as a dashboard's or wallboard's zone reads them (the page config's `timeZone`,
// an IANA name), whatever zone the browser is in: Intl.DateTimeFormat with timeZone.
// One formatter per (locale, zone, kind): building one costs more than formatting.

import { pageLocale } from "./i18n.js";

let pageZone;
const formatters = new Map();

export function setPageTimeZone(zone) {
  pageZone = zone || undefined;
}

function formatter(kind, zone, locale) {
  const key = `${kind}|${zone ?? ""}|${locale ?? ""}`;
  let found = formatters.get(key);
  if (!found) {
    const options = {
      time: { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" },
      minutes: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
      date: { dateStyle: "short", timeStyle: "medium", hourCycle: "h23" },
    }[kind];
    try {
      found = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    } catch {
      found = new Intl.DateTimeFormat(locale, options);  // an unknown zone: the browser's
    }
    formatters.set(key, found);
  }
  return found;
}

export function clockTime(ms, zone = pageZone, locale = pageLocale()) {
  return formatter("time", zone, locale).format(new Date(ms));
}

// "16:05": a trend's time axis label (static/js/trend-canvas.js).
export function clockMinutes(ms, zone = pageZone, locale = pageLocale()) {
  return formatter("minutes", zone, locale).format(new Date(ms));
}

export function dateTime(ms, zone = pageZone, locale = pageLocale()) {
  return formatter("date", zone, locale).format(new Date(ms));
}

// Midnight of `ms`'s day in `zone` (ms): where "today" begins for that zone.
export function dayStart(ms, zone = pageZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  const sinceMidnight = ((parts.hour * 60 + parts.minute) * 60 + parts.second) * 1000 + (ms % 1000 + 1000) % 1000;
  let start = ms - sinceMidnight;
  // A DST change today: the offset at midnight differs from now's; correct once.
  const check = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" })
    .format(new Date(start));
  if (check !== "00:00") {
    const [h, m] = check.split(":").map(Number);
    const off = (h * 60 + m) * 60000;
    start -= off > 12 * 3600000 ? off - 24 * 3600000 : off;
  }
  return start;
}
