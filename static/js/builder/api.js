// The builder's JSON calls (dashboard/builder/views.py): every POST carries the
// CSRF token the page was rendered with.

export class Api {
  constructor(config) {
    this.config = config;
  }

  async call(path, body) {
    const options = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = this.config.csrf;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data;
    try { data = await response.json(); } catch { data = { error: `HTTP ${response.status}` }; }
    return { ok: response.ok, status: response.status, data };
  }

  state() { return this.call(`${this.config.api}state`); }
  save(document) { return this.call(`${this.config.api}draft`, document); }
  publish(overwrite = false) { return this.call(`${this.config.api}publish`, { overwrite }); }
  discard() { return this.call(`${this.config.api}discard`, {}); }
  restore(number) { return this.call(`${this.config.api}versions/${number}/restore`, {}); }
  catalog() { return this.call(this.config.catalog); }
  objects(type, query, connection = "default") {
    const where = connection === "default" ? "" : `&connection=${encodeURIComponent(connection)}`;
    return this.call(`${this.config.objects}?type=${encodeURIComponent(type)}&q=${encodeURIComponent(query)}${where}`);
  }
  peek(stat) { return this.call(this.config.peek, stat); }
}
