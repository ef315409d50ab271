/** The colour of each step state and journey status, shared by the page's styles and its tests. */
export const STATE_COLOURS = {
  succeeded: "rgb(26, 127, 55)",
  failed: "rgb(207, 34, 46)",
  running: "rgb(9, 105, 218)",
  waiting: "rgb(191, 135, 0)",
  skipped: "rgb(110, 119, 129)",
} as const;

const STYLE = `
:root { color-scheme: light; --ok: ${STATE_COLOURS.succeeded}; --bad: ${STATE_COLOURS.failed}; --run: ${STATE_COLOURS.running}; --wait: ${STATE_COLOURS.waiting}; --skip: ${STATE_COLOURS.skipped}; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f8fa; }
header { display: flex; align-items: center; gap: 12px; padding: 12px 24px; background: #24292f; color: #fff; }
header h1 { margin: 0; font-size: 18px; font-weight: 600; }
#live { margin-left: auto; font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #57606a; }
#live.on { background: var(--ok); }
main { padding: 16px 24px; max-width: 1280px; }
.empty { color: #57606a; }
.app { margin-bottom: 20px; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }
.app > h2 { margin: 0; padding: 10px 16px; font-size: 16px; border-bottom: 1px solid #d0d7de; }
.commits { list-style: none; margin: 0; padding: 0; }
.commit { border-bottom: 1px solid #eaeef2; }
.commit:last-child { border-bottom: 0; }
.commit summary { display: flex; align-items: baseline; gap: 10px; padding: 8px 16px; cursor: pointer; }
.commit summary::-webkit-details-marker { display: none; }
.sha { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.subject { font-weight: 500; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.meta { color: #57606a; font-size: 12px; white-space: nowrap; }
.badge { display: inline-block; min-width: 84px; text-align: center; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.status-deployed { background: var(--ok); }
.status-failed, .status-rejected { background: var(--bad); }
.status-rolled-back { background: var(--bad); }
.status-running { background: var(--run); }
.status-waiting { background: var(--wait); }
.status-superseded { background: var(--skip); }
.status-stuck { background: var(--bad); }
.reason { margin: 0 16px 8px; padding: 6px 10px; border-left: 3px solid var(--skip); background: #f6f8fa; }
.reason.bad { border-color: var(--bad); }
.reason.ok { border-color: var(--ok); }
.steps { display: flex; flex-wrap: wrap; row-gap: 14px; list-style: none; margin: 0; padding: 8px 16px 16px; }
.step { position: relative; flex: 0 0 152px; padding: 22px 8px 0 0; }
.step::before { content: ""; position: absolute; top: 7px; left: 0; right: 0; height: 2px; background: #d0d7de; }
.dot { position: absolute; top: 0; left: 0; width: 16px; height: 16px; border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 0 1px #d0d7de; }
.state-succeeded .dot { background: var(--ok); }
.state-failed .dot { background: var(--bad); }
.state-running .dot { background: var(--run); animation: pulse 1.2s ease-in-out infinite; }
.state-waiting .dot { background: var(--wait); }
.state-skipped .dot { background: var(--skip); }
@keyframes pulse { 50% { opacity: 0.35; } }
.step-name { font-weight: 600; }
.state-failed .step-name { color: var(--bad); }
.step .when, .step .facts { color: #57606a; font-size: 12px; }
.step .why { font-size: 12px; color: var(--bad); margin-top: 2px; word-break: break-word; }
.state-waiting .why, .state-succeeded .why, .state-skipped .why { color: #57606a; }
.step a { display: inline-block; margin-right: 6px; font-size: 12px; color: var(--run); }
`;

const SCRIPT = `
"use strict";
const opened = new Set();
const known = new Set();
let timer = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function duration(seconds) {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  if (h > 0) return m > 0 ? h + "h " + m + "m" : h + "h";
  if (m > 0) return s > 0 ? m + "m " + s + "s" : m + "m";
  return s + "s";
}

function key(app, commit) { return app + "/" + commit; }

function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (error) { return null; }
}

function renderSteps(container, journey) {
  container.replaceChildren();
  if (journey.reason) {
    const bad = journey.status === "failed" || journey.status === "rejected" || journey.status === "rolled-back" || journey.status === "stuck";
    container.append(el("p", "reason" + (bad ? " bad" : journey.status === "deployed" ? " ok" : ""), journey.reason));
  }
  const list = el("ol", "steps");
  for (const step of journey.steps) {
    const item = el("li", "step state-" + step.state);
    item.dataset.detailType = step.detailType;
    item.dataset.state = step.state;
    item.append(el("span", "dot"));
    item.append(el("div", "step-name", step.detailType));
    const place = step.environment ? " · " + step.environment : "";
    item.append(el("div", "when", "+" + duration(step.offsetSeconds) + " · took " + duration(step.durationSeconds) + place));
    item.querySelector(".when").dataset.duration = String(step.durationSeconds);
    if (step.summary) item.append(el("div", "facts", step.summary));
    if (step.reason) item.append(el("div", "why", step.reason));
    for (const link of step.links) {
      const href = safeUrl(link.url);
      if (!href) continue;
      const anchor = el("a", "link", link.label);
      anchor.href = href;
      anchor.target = "_blank";
      anchor.rel = "noopener noreferrer";
      item.append(anchor);
    }
    list.append(item);
  }
  container.append(list);
}

async function loadJourney(app, commit, container) {
  const response = await fetch("/api/journeys/" + encodeURIComponent(app) + "/" + encodeURIComponent(commit));
  if (!response.ok) { container.replaceChildren(el("p", "empty", "No journey recorded.")); return; }
  renderSteps(container, await response.json());
}

function renderCommit(app, commit, isNewest) {
  const item = el("li", "commit");
  item.dataset.app = app;
  item.dataset.commit = commit.commit;
  item.dataset.status = commit.status;
  const details = el("details");
  const id = key(app, commit.commit);
  if (!known.has(id)) { known.add(id); if (isNewest || location.hash === "#" + id) opened.add(id); }
  details.open = opened.has(id);
  const summary = el("summary");
  summary.append(el("span", "badge status-" + commit.status, commit.status));
  summary.append(el("span", "sha", commit.commit.slice(0, 7)));
  summary.append(el("span", "subject", commit.subject || ""));
  const meta = [commit.author, commit.tag, duration(commit.durationSeconds), new Date(commit.lastAt).toLocaleString()]
    .filter(Boolean).join(" · ");
  summary.append(el("span", "meta", meta));
  details.append(summary);
  const body = el("div", "journey");
  details.append(body);
  details.addEventListener("toggle", () => {
    if (details.open) { opened.add(id); loadJourney(app, commit.commit, body); } else { opened.delete(id); }
  });
  if (details.open) loadJourney(app, commit.commit, body);
  item.append(details);
  return item;
}

async function refresh() {
  const response = await fetch("/api/apps");
  const apps = await response.json();
  const root = document.getElementById("apps");
  const sections = [];
  for (const app of apps) {
    const section = el("section", "app");
    section.dataset.app = app.app;
    section.append(el("h2", null, app.app));
    const list = el("ul", "commits");
    app.commits.forEach((commit, index) => list.append(renderCommit(app.app, commit, index === 0)));
    section.append(list);
    sections.push(section);
  }
  if (sections.length === 0) sections.push(el("p", "empty", "No journey yet: push a commit to an app's repository."));
  root.replaceChildren(...sections);
}

function schedule() {
  if (timer !== null) return;
  timer = setTimeout(() => { timer = null; refresh(); }, 100);
}

function listen() {
  const live = document.getElementById("live");
  const stream = new EventSource("/api/stream");
  stream.onopen = () => { live.textContent = "live"; live.className = "on"; };
  stream.onerror = () => { live.textContent = "reconnecting"; live.className = ""; };
  stream.onmessage = () => schedule();
}

refresh();
listen();
`;

/**
 * The timeline page: one HTML document with its styles and script inline (no build step, no
 * external asset, works offline). The script lists `/api/apps`, opens each app's newest commit (and
 * the one named in the address's `#<app>/<commit>`), draws its journey from `/api/journeys/...`,
 * and refreshes when `/api/stream` reports an event. All text goes in through `textContent` and
 * links are limited to http(s), so nothing a commit message says can run in the page.
 *
 * @example
 * ```ts
 * response.end(timelinePage(nonce));
 * ```
 */
export function timelinePage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shipline journeys</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header><h1>Shipline journeys</h1><span id="live">connecting</span></header>
<main id="apps"><p class="empty">Loading…</p></main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
