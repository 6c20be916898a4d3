// The side panel's history options (dashboard/history/files.py has the file format):
// a line or KPI widget's comparison, an intraday table's interval, the dashboard's zone.

import { el, input, labelled, select } from "./dom.js";
import { gettext } from "../i18n.js";

export const COMPARE_CHOICES = [["", gettext("no comparison")], ["yesterday", gettext("same time yesterday")],
  ["last-week", gettext("same time last week")], ["four-weeks", gettext("average of the last four same weekdays")]];

// After a change of type: drop the options the new type does not take (the import
// would refuse them) and give an intraday table its default interval.
export function tidyHistoryOptions(w) {
  if (w.type !== "line" && w.type !== "kpi") delete w.compare;
  if (w.type === "intraday") w.interval = w.interval || 30; else delete w.interval;
}

// The controls for widget `w` (none for kinds without history options).
export function widgetHistoryFields(w, onChange) {
  if (w.type === "line" || w.type === "kpi") {
    const compare = select(COMPARE_CHOICES, w.compare || "");
    compare.addEventListener("change", () => {
      if (compare.value) w.compare = compare.value; else delete w.compare;
      onChange();
    });
    return [labelled(gettext("Compare with"), compare)];
  }
  if (w.type === "intraday") {
    const interval = select([["15", gettext("15 minutes")], ["30", gettext("30 minutes")]], String(w.interval || 30));
    interval.addEventListener("change", () => { w.interval = Number(interval.value); onChange(); });
    return [labelled(gettext("Rows of"), interval)];
  }
  return [];
}

// The dashboard's time zone, an IANA name (where its day begins).
export function timeZoneField(d, onChange) {
  const zone = input("text", d.timeZone || "", { placeholder: "Europe/Berlin", list: "b-time-zones" });
  zone.addEventListener("change", () => { if (zone.value.trim()) d.timeZone = zone.value.trim(); else delete d.timeZone; onChange(); });
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const list = el("datalist", "", null, known.map((name) => { const o = el("option"); o.value = name; return o; }));
  list.id = "b-time-zones";
  return el("div", "", null, [labelled(gettext("Time zone (where the day begins)"), zone), list]);
}
