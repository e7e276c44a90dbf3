// flowhost's dashboard. Every page is drawn here from the management API, with the caller's token when the server
// asks for one (kept in this tab's sessionStorage), and refreshed every LIVE_MS while the tab is visible. Elements are
// made with h(), never from HTML strings: what the API says is shown as text.
"use strict";

const LIVE_MS = 2000;
const TOKEN = "flowhost.token";
const body = document.body;
const main = document.getElementById("page");

// --- talking to the API -------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : "HTTP " + status);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN);
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(path, { ...options, headers });
  const type = response.headers.get("content-type") || "";
  const answer = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof answer === "object" ? answer : null);
  return answer;
}

/** The answer, or null for a 404 (a deployment with no history yet, a service with no rollout). */
async function apiOrNull(path) {
  try {
    return await api(path);
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

// --- making elements ----------------------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** What a page or panel is made of, its arrays flattened and its absent parts left out. */
function nodes(...parts) {
  return parts.flat(Infinity).filter((x) => x !== null && x !== undefined && x !== false && x !== "");
}

function table(headers, rows, empty) {
  if (rows.length === 0) return h("p", { class: "muted" }, empty);
  return h("table", {},
    h("thead", {}, h("tr", {}, headers.map(([label, num]) => h("th", { class: num ? "num" : null }, label)))),
    h("tbody", {}, rows));
}

function card(label, value, key) {
  return h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value", "data-card": key }, value));
}

function badge(text, kind) {
  return h("span", { class: "badge " + (kind || "") }, text);
}

const stateKinds = { active: "ok", ready: "ok", succeeded: "ok", resolved: "ok", starting: "warn", draining: "warn",
  pending: "warn", queued: "warn", running: "warn", held: "warn", firing: "bad", failed: "bad", expired: "bad", retired: "" };
const stateBadge = (s) => badge(s, stateKinds[s]);

const fmt = {
  rate: (v) => (v === null || v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)),
  ms: (v) => (v === null || v === undefined ? "–" : v >= 100 ? v.toFixed(0) + " ms" : v.toFixed(1) + " ms"),
  pct: (v) => (v === null || v === undefined ? "–" : (v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1) + " %"),
  time: (iso) => (iso ? new Date(iso).toLocaleTimeString() : "–"),
  when: (iso) => (iso ? new Date(iso).toLocaleString() : "–"),
};

/** A small line of the last hour's values, as SVG: a hundred of them cost less than one canvas chart. */
function sparkline(values, width = 120, height = 24) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  if (values && values.length > width) {
    // no more points than pixels: each pixel keeps the highest value of its stretch, so peaks still show
    const per = values.length / width;
    values = Array.from({ length: width }, (_, i) => Math.max(...values.slice(Math.floor(i * per), Math.floor((i + 1) * per))));
  }
  if (values && values.length > 1) {
    const max = Math.max(...values, 1e-9);
    const step = width / (values.length - 1);
    const points = values.map((v, i) => (i * step).toFixed(1) + "," + (height - 1 - (v / max) * (height - 2)).toFixed(1));
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", points.join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "#2f6fde");
    line.setAttribute("stroke-width", "1.2");
    svg.append(line);
  }
  return svg;
}

// --- charts (uPlot) -----------------------------------------------------------------------------------------------

const charts = new Map();
const colors = ["#2f6fde", "#c53030", "#1f8f4e", "#b7791f"];

/** Draws a chart of columns over `at`, or gives the one already drawn its new data. */
function chart(key, title, at, series, into) {
  const data = [at, ...series.map((s) => s.values)];
  const known = charts.get(key);
  if (known) {
    // the page was drawn again: the chart moves into it, and is drawn again only when it has a new point
    into.append(known.box);
    const newest = at.length ? at[at.length - 1] : null;
    if (known.points !== at.length || known.newest !== newest) known.u.setData(data);
    known.points = at.length;
    known.newest = newest;
    return known.box;
  }
  const box = h("div", { class: "chart", "data-chart": key }, h("h3", {}, title));
  into.append(box);
  const width = Math.max(320, box.clientWidth - 16);
  const u = new uPlot({
    width, height: 180,
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 1.5, spanGaps: false }))],
    axes: [{}, { size: 56 }],
    scales: { x: { time: true } },
  }, data, box);
  charts.set(key, { u, box, points: at.length, newest: at.length ? at[at.length - 1] : null });
  return box;
}

// --- who the caller is --------------------------------------------------------------------------------------------

let who = null;

async function whoami() {
  if (who) return who;
  who = await api("/v1/whoami");
  document.getElementById("who").textContent = who.actor ? "signed in as " + who.actor : "";
  return who;
}

function showLogin(error) {
  live.stop();
  main.replaceChildren(h("div", { class: "login" },
    h("h1", {}, "This server asks for a token"),
    h("p", { class: "muted" }, error.message),
    h("form", { onsubmit: (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN, e.target.elements.token.value.trim());
      location.reload();
    } },
    h("input", { name: "token", type: "password", placeholder: "a token with scope read (or deploy, to act)", autocomplete: "off" }),
    h("button", { type: "submit" }, "Open the dashboard")),
    h("p", { class: "muted" }, "An admin makes one with: flowhost tokens create NAME --scope read. It is kept in this tab only.")));
}

// --- pages --------------------------------------------------------------------------------------------------------

const pages = {};

pages.deployments = {
  async load() {
    const [list, history, status] = await Promise.all([api("/v1/deployments"), recentHistory(""), api("/v1/status")]);
    const withRollout = [...new Set(list.deployments.filter((d) => d.variant !== "primary" && d.state === "active").map((d) => d.service))];
    const rollouts = Object.fromEntries(await Promise.all(withRollout.map(async (s) => [s, await apiOrNull("/v1/rollouts/" + s)])));
    return { list: list.deployments, history: history.deployments, status: status.services, rollouts };
  },
  render({ list, history, status, rollouts }) {
    const active = list.filter((d) => d.state === "active");
    const held = status.reduce((n, s) => n + s.held, 0);
    const ready = active.reduce((n, d) => n + d.instances.filter((i) => i.state === "ready").length, 0);
    const calls = active.reduce((n, d) => n + lastRate(history[d.id]), 0);
    const rows = list.map((d) => {
      const hist = history[d.id];
      const rollout = rollouts[d.service];
      return h("tr", { "data-deployment": d.id },
        h("td", {}, h("a", { href: "/ui/deployments/" + d.id }, d.service)),
        h("td", {}, h("a", { href: "/ui/deployments/" + d.id }, d.id)),
        h("td", { class: "num" }, d.version),
        h("td", {}, d.variant + (d.share !== null && d.share !== undefined ? " " + d.share + " %" : "")),
        h("td", {}, stateBadge(d.state)),
        h("td", {}, Object.values(d.runs || {}).map((r) => h("div", {}, h("code", {}, r))), d.model ? h("code", {}, d.model) : null),
        h("td", { class: "num", "data-col": "instances" }, d.instances.filter((i) => i.state === "ready").length + " / " + d.instances.length),
        h("td", {}, sparkline(hist ? hist.callsPerSecond : [])),
        h("td", { class: "num", "data-col": "calls" }, fmt.rate(lastRate(hist))),
        h("td", { class: "num", "data-col": "errors" }, hist ? fmt.pct(hist.errorRate) : "–"),
        h("td", { class: "num", "data-col": "p99" }, hist ? fmt.ms(hist.p99Ms) : "–"),
        h("td", {}, rollout ? [stateBadge(rollout.state), " ", rollout.share + " % to " + rollout.candidate] : ""));
    });
    return [
      h("h1", {}, "Deployments"),
      h("div", { class: "cards" },
        card("Active deployments", active.length, "active"),
        card("Instances ready", ready, "ready"),
        card("Calls / s (last interval)", fmt.rate(calls), "calls"),
        card("Calls held", held, "held")),
      table([["Service"], ["Deployment"], ["Version", 1], ["Variant"], ["State"], ["Metaflow runs / model"], ["Instances", 1],
        ["Last hour"], ["Calls / s", 1], ["Errors", 1], ["p99", 1], ["Rollout"]], rows,
      "Nothing is deployed yet: flowhost deploy path/to/service.jar"),
    ];
  },
};

function lastRate(hist) {
  return hist && hist.callsPerSecond.length ? hist.callsPerSecond[hist.callsPerSecond.length - 1] : 0;
}

pages.deployment = {
  async load() {
    const id = body.dataset.id;
    const [d, history, me] = await Promise.all([api("/v1/deployments/" + id), recentHistory(id), whoami()]);
    const rollout = d.variant !== "primary" && d.state === "active" ? await apiOrNull("/v1/rollouts/" + d.service) : null;
    return { d, history, me, rollout };
  },
  render({ d, history, me, rollout }) {
    const hist = history || { at: [], callsPerSecond: [], errorRate: [], p50Ms: [], p99Ms: [], instances: [], held: [], decisions: [], coldStarts: [] };
    const last = (col) => (col.length ? col[col.length - 1] : null);
    const actions = [];
    if (me.may.deploy && d.state === "active") {
      actions.push(h("button", { class: "danger", "data-action": "undeploy", onclick: () => act("Undeploy " + d.id + "?", "DELETE", "/v1/deployments/" + d.id) }, "Undeploy"));
      if (rollout && ["running", "held"].includes(rollout.state)) {
        actions.push(h("button", { class: "danger", "data-action": "rollback", onclick: () => act("Roll back " + d.service + " to its primary?", "POST", "/v1/rollouts/" + d.service + "/rollback") }, "Roll back"));
      }
    }
    const docs = d.state === "active" && d.variant === "primary" ? h("a", { href: "/v1/services/" + d.service + "/docs", "data-link": "docs" }, "Docs page (try a call)") : null;
    return [
      h("h1", {}, d.service, " ", h("span", { class: "muted" }, "v" + d.version), " ", stateBadge(d.state)),
      h("p", { class: "muted" }, d.id, " · ", d.variant, d.share !== null && d.share !== undefined ? " " + d.share + " %" : "", " · ",
        d.model ? "model " + d.model : d.className, " · deployed ", fmt.when(d.createdAt),
        Object.keys(d.runs || {}).length ? [" · runs ", Object.values(d.runs).join(", ")] : "", docs ? [" · ", docs] : ""),
      actions.length ? h("div", { class: "actions" }, actions) : null,
      rollout ? h("p", {}, "Rollout: ", stateBadge(rollout.state), " ", rollout.share + " % to " + rollout.candidate) : null,
      h("div", { class: "cards" },
        card("Instances ready", d.instances.filter((i) => i.state === "ready").length, "ready"),
        card("Calls / s", fmt.rate(last(hist.callsPerSecond)), "calls"),
        card("Error rate", fmt.pct(last(hist.errorRate)), "errors"),
        card("p50", fmt.ms(last(hist.p50Ms)), "p50"),
        card("p99", fmt.ms(last(hist.p99Ms)), "p99")),
      h("div", { class: "charts", id: "charts" }),
      h("h2", {}, "Scaling decisions"),
      table([["At"], ["Instances"], ["Reason"]], [...hist.decisions].reverse().map((c) =>
        h("tr", { "data-decision": "" }, h("td", {}, fmt.time(c.at)), h("td", {}, c.from + " → " + c.to, c.panicking ? " (panic)" : ""), h("td", {}, c.reason))),
      "No change in instances wanted yet."),
      h("h2", {}, "Cold starts"),
      table([["Ready at"], ["Instance"], ["Total", 1], ["Where the time went"]], [...hist.coldStarts].reverse().map((s) =>
        h("tr", { "data-cold-start": s.instance }, h("td", {}, fmt.time(s.readyAt)), h("td", {}, h("code", {}, s.instance)),
          h("td", { class: "num" }, s.totalMs + " ms"), h("td", {}, parts(s)))),
      "No instance has started in the last while."),
      h("h2", {}, "Instances"),
      table([["Instance"], ["State"], ["pid", 1], ["Address"], ["Started"], ["Cold start", 1], ["In flight", 1]], d.instances.map((i) =>
        h("tr", { "data-instance": i.id }, h("td", {}, h("code", {}, i.id)), h("td", {}, stateBadge(i.state)), h("td", { class: "num" }, i.pid),
          h("td", {}, i.address), h("td", {}, fmt.time(i.startedAt)), h("td", { class: "num" }, i.coldStartMs === null ? "–" : i.coldStartMs + " ms"),
          h("td", { class: "num" }, i.inFlight))),
      "No instances: it is at zero, and wakes on the next call."),
      h("h2", {}, "Endpoints"),
      table([["Endpoint"], ["Method"], ["Path"], ["Body → answer"], ["Example"]], d.endpoints.map((e) =>
        h("tr", { "data-endpoint": e.name }, h("td", {}, e.name), h("td", {}, e.method), h("td", {}, h("code", {}, e.path)),
          h("td", {}, h("code", {}, (e.input || "–") + " → " + (e.output || "–"))), h("td", {}, e.example ? h("pre", {}, e.example) : "–"))),
      "No endpoints."),
    ];
  },
  after({ history }) {
    if (!history || !history.at.length) {
      document.getElementById("charts").replaceChildren(h("p", { class: "muted" }, "The charts start with the first point, within " + ((history && history.everySeconds) || 10) + " s."));
      return;
    }
    const into = document.getElementById("charts");
    chart("calls", "Calls / s", history.at, [{ label: "calls/s", values: history.callsPerSecond }], into);
    chart("latency", "Latency (ms)", history.at, [{ label: "p50", values: history.p50Ms }, { label: "p99", values: history.p99Ms }], into);
    chart("errors", "Error rate (5xx)", history.at, [{ label: "5xx share", values: history.errorRate }], into);
    chart("instances", "Instances and held calls", history.at, [{ label: "instances", values: history.instances }, { label: "held", values: history.held }], into);
  },
};

/**
 * A deployment's history (every deployment's, for "" ), asked of the server no more often than it gains a point (every
 * 10 s by default, where the page refreshes every 2 s); null while it has none.
 */
const histories = new Map();
async function recentHistory(id) {
  const known = histories.get(id);
  if (known && known.value && Date.now() - known.at < known.value.everySeconds * 1000) return known.value;
  const value = await apiOrNull(id ? "/v1/history/" + id : "/v1/history");
  histories.set(id, { value, at: Date.now() });
  return value;
}

const partColors = ["#2f6fde", "#38a169", "#d69e2e", "#805ad5", "#e53e3e", "#319795", "#718096"];

function parts(start) {
  const entries = Object.entries(start.partsMs);
  const total = Math.max(1, start.totalMs);
  return h("div", {},
    h("div", { class: "parts" }, entries.map(([k, v], i) => {
      const part = h("span", { title: k + " " + v + " ms" });
      part.style.width = (100 * v / total).toFixed(1) + "%";
      part.style.background = partColors[i % partColors.length];
      return part;
    })),
    h("div", { class: "muted" }, entries.map(([k, v]) => k + " " + v).join(" · ")));
}

async function act(question, method, path) {
  if (!confirm(question)) return;
  try {
    await api(path, { method });
    location.reload();
  } catch (e) {
    alert(e.message);
  }
}

pages.queue = {
  selected: null,
  async load() {
    const list = await api("/v1/deployments");
    const active = list.deployments.filter((d) => d.state === "active");
    const services = [...new Set(active.map((d) => d.service))].sort();
    const service = services.includes(this.selected) ? this.selected : services[0];
    this.selected = service;
    if (!service) return { services };
    const ids = active.filter((d) => d.service === service).map((d) => d.id);
    const [requests, ...histories] = await Promise.all([
      api("/v1/requests?service=" + encodeURIComponent(service) + "&limit=1000"),
      ...ids.map((id) => recentHistory(id)),
    ]);
    return { services, service, requests: requests.requests, histories: histories.filter((x) => x) };
  },
  render({ services, service, requests }) {
    if (!service) return [h("h1", {}, "Async queue"), h("p", { class: "muted" }, "Nothing is deployed yet.")];
    const counts = {};
    for (const r of requests) counts[r.state] = (counts[r.state] || 0) + 1;
    const picker = h("select", { id: "service", onchange: (e) => { this.selected = e.target.value; charts.clear(); live.now(); } },
      services.map((s) => h("option", { value: s, selected: s === service }, s)));
    return [
      h("h1", {}, "Async queue"),
      h("div", { class: "filters" }, h("label", {}, "Service ", picker)),
      h("div", { class: "cards" }, ["queued", "running", "succeeded", "failed", "cancelled", "expired"].map((s) => card(s, counts[s] || 0, s))),
      requests.length >= 1000 ? h("p", { class: "muted" }, "Counted among the latest 1,000 requests kept for " + service + ".") : null,
      h("div", { class: "charts", id: "charts" }),
      h("div", { class: "split" },
        h("div", {}, h("h2", {}, "Latest requests"),
          table([["Request"], ["Endpoint"], ["State"], ["Accepted"], ["Attempts", 1]], requests.slice(0, 100).map((r) =>
            h("tr", { "data-request": r.id },
              h("td", {}, h("a", { href: "#" + r.id, onclick: (e) => { e.preventDefault(); showRequest(r.id); } }, h("code", {}, r.id.slice(0, 12) + "…"))),
              h("td", {}, r.endpoint), h("td", {}, stateBadge(r.state)), h("td", {}, fmt.time(r.acceptedAt)), h("td", { class: "num" }, r.attempts + " / " + r.maxAttempts))),
          "No async requests for " + service + " (they are kept until their result TTL).")),
        h("div", { id: "request" }, h("h2", {}, "Request"), h("p", { class: "muted" }, "Pick one to see its detail and result."))),
    ];
  },
  after({ histories }) {
    const into = document.getElementById("charts");
    if (!into) return;
    if (!histories || !histories.length) {
      into.replaceChildren(h("p", { class: "muted" }, "The depth chart starts with the first point."));
      return;
    }
    for (const hist of histories) {
      chart("queue-" + hist.deployment, "Queued and running: " + hist.deployment, hist.at,
        [{ label: "queued", values: hist.queued }, { label: "running", values: hist.running }], into);
    }
  },
};

let shownRequest = null;

async function showRequest(id) {
  shownRequest = id;
  history.replaceState(null, "", "#" + id); // a link to this request's detail
  const box = document.getElementById("request");
  try {
    const r = await api("/v1/requests/" + id);
    box.replaceChildren(...nodes(h("h2", {}, "Request ", h("code", {}, id)),
      h("p", {}, stateBadge(r.state), " ", r.service + "/" + r.endpoint, " · attempts " + r.attempts + " / " + r.maxAttempts),
      table([["When"], ["At"]], [["accepted", r.acceptedAt], ["started", r.startedAt], ["finished", r.finishedAt]]
        .filter(([, at]) => at).map(([k, at]) => h("tr", {}, h("td", {}, k), h("td", {}, fmt.when(at)))), ""),
      r.error ? h("p", { class: "error" }, r.error) : null,
      r.result ? [h("h2", {}, "Result (" + r.result.status + ", " + r.result.contentType + ")"),
        h("pre", { "data-result": "" }, JSON.stringify(r.result.body, null, 2))] : h("p", { class: "muted" }, "No result yet.")));
  } catch (e) {
    box.replaceChildren(h("p", { class: "error" }, e.message));
  }
}

pages.alerts = {
  async load() {
    return api("/v1/alerts");
  },
  render({ alerts, rules }) {
    const order = { firing: 0, pending: 1, resolved: 2 };
    const sorted = [...alerts].sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3));
    const count = (s) => alerts.filter((a) => a.state === s).length;
    return [
      h("h1", {}, "Alerts"),
      h("div", { class: "cards" }, card("Firing", count("firing"), "firing"), card("Pending", count("pending"), "pending"), card("Resolved", count("resolved"), "resolved")),
      table([["State"], ["Rule"], ["Service"], ["Severity"], ["Value", 1], ["Threshold", 1], ["Since"], ["Summary"]], sorted.map((a) =>
        h("tr", { "data-alert": a.rule + "/" + a.service }, h("td", {}, stateBadge(a.state)), h("td", {}, a.rule), h("td", {}, a.service), h("td", {}, a.severity),
          h("td", { class: "num" }, a.value === null ? "–" : +a.value.toPrecision(4)), h("td", { class: "num" }, a.threshold), h("td", {}, fmt.time(a.since)), h("td", {}, a.summary))),
      "Nothing is firing, pending or lately resolved."),
      h("h2", {}, "Rules"),
      table([["Rule"], ["Kind"], ["Service"], ["Condition"], ["Window"], ["For"], ["Severity"]], rules.map((r) =>
        h("tr", {}, h("td", {}, r.name), h("td", {}, r.kind), h("td", {}, r.service || "every service"), h("td", {}, h("code", {}, r.condition)),
          h("td", {}, r.window || "–"), h("td", {}, r.for), h("td", {}, r.severity))), "No rules."),
    ];
  },
};

pages.log = {
  filters: { service: "", status: "", since: "" },
  shown: [],
  newest: 0,
  services: [],
  async load(first) {
    const f = this.filters;
    const query = new URLSearchParams({ limit: "200" });
    if (f.service) query.set("service", f.service);
    if (f.status) query.set("status", f.status);
    if (f.since) query.set("since", f.since);
    // following: only what is newer than the newest line shown
    if (!first && this.newest) query.set("after", this.newest);
    const [log, list] = await Promise.all([api("/v1/log?" + query), first ? api("/v1/services") : null]);
    if (list) this.services = list.services.map((s) => s.name).sort();
    this.shown = (first ? log.calls : [...log.calls, ...this.shown]).slice(0, 500);
    if (this.shown.length) this.newest = Math.max(this.newest, this.shown[0].seq);
    return { calls: this.shown };
  },
  render({ calls }) {
    const pick = (name, options) => h("select", { name, onchange: (e) => { this.filters[name] = e.target.value; this.newest = 0; live.restart(); } },
      options.map(([v, label]) => h("option", { value: v, selected: this.filters[name] === v }, label)));
    return [
      h("h1", {}, "Request log"),
      h("div", { class: "filters" },
        h("label", {}, "Service ", pick("service", [["", "every service"], ...this.services.map((s) => [s, s])])),
        h("label", {}, "Status ", pick("status", [["", "any"], ["2xx", "2xx"], ["4xx", "4xx"], ["5xx", "5xx"]])),
        h("label", {}, "Since ", pick("since", [["", "what is kept"], ["5m", "5 minutes"], ["15m", "15 minutes"], ["1h", "1 hour"]])),
        h("span", { class: "muted" }, "following live; the server keeps its last 2,000 lines here, the rest in logs/requests.log")),
      table([["Time"], ["Service"], ["Endpoint"], ["Status"], ["Total", 1], ["Held", 1], ["Instance"], ["Request id"]], calls.map((c) =>
        h("tr", { "data-seq": c.seq, "data-status": c.status },
          h("td", {}, fmt.time(c.time)), h("td", {}, c.service || "–"), h("td", {}, c.endpoint || "–"),
          h("td", {}, badge(c.status, c.status >= 500 ? "bad" : c.status >= 400 ? "warn" : "ok")),
          h("td", { class: "num" }, fmt.ms(c.totalMs)), h("td", { class: "num" }, c.heldMs ? fmt.ms(c.heldMs) : "–"),
          h("td", {}, c.instance ? h("code", {}, c.instance) : "–", c.coldStart ? " (cold start)" : ""),
          h("td", {}, h("code", {}, c.requestId)))),
      "No calls match."),
    ];
  },
};

// --- the live loop ------------------------------------------------------------------------------------------------

const live = {
  timer: null,
  refreshes: 0,
  first: true,
  stopped: false,
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  },
  now() {
    clearTimeout(this.timer);
    this.tick();
  },
  restart() {
    this.first = true;
    this.now();
  },
  async tick() {
    const page = pages[body.dataset.page];
    const indicator = document.getElementById("live");
    try {
      const data = await page.load(this.first);
      const seen = JSON.stringify(data);
      if (!this.first && seen === this.seen) {
        // nothing new: no drawing at all
        this.again(indicator);
        return;
      }
      const busy = document.activeElement;
      if (!this.first && busy && busy.tagName === "SELECT" && main.contains(busy)) {
        // someone is choosing a filter: this refresh waits for them
        this.timer = setTimeout(() => this.tick(), LIVE_MS);
        return;
      }
      this.seen = seen;
      const scrollY = window.scrollY;
      main.replaceChildren(...nodes(page.render(data)));
      if (page.after) page.after(data);
      if (body.dataset.page === "queue" && !shownRequest && location.hash.length > 1) shownRequest = location.hash.slice(1);
      if (shownRequest && body.dataset.page === "queue") showRequest(shownRequest);
      window.scrollTo(0, scrollY);
      if (this.first) {
        // for the browser tests and the benchmark: from navigation start to the page drawn with its data
        document.documentElement.dataset.renderedMs = Math.round(performance.now());
        main.dataset.ready = "true";
      }
      this.first = false;
      this.again(indicator);
      return;
    } catch (e) {
      if (e.status === 401 || (e.status === 403 && this.first)) {
        showLogin(e);
        return;
      }
      indicator.className = "";
      indicator.textContent = "not updating: " + e.message;
      if (this.first) main.replaceChildren(h("p", { class: "error", "data-error": "" }, e.message));
    }
    if (!this.stopped && !document.hidden) this.timer = setTimeout(() => this.tick(), LIVE_MS);
  },
  /** Says the page is live, and asks again in LIVE_MS. */
  again(indicator) {
    indicator.className = "on";
    indicator.textContent = "live · " + new Date().toLocaleTimeString();
    this.refreshes++;
    main.dataset.refreshes = this.refreshes;
    if (!this.stopped && !document.hidden) this.timer = setTimeout(() => this.tick(), LIVE_MS);
  },
};

// a hidden tab asks nothing of the server; it catches up when shown again
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && !live.stopped) live.now();
  else clearTimeout(live.timer);
});

for (const a of document.querySelectorAll("[data-nav]")) {
  if (a.dataset.nav === body.dataset.page || (body.dataset.page === "deployment" && a.dataset.nav === "deployments")) a.classList.add("here");
}
whoami().catch(() => {}).finally(() => live.tick());
