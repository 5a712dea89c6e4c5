/**
 * The operator page's only assets, served from the Worker bundle (no CDN): its stylesheet and
 * one small script. The page reads without the script; the script shows times in the viewer's
 * zone and sends the page's writes to the admin API (JSON, with the session's CSRF token).
 */
export const STYLES = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #59636e; --bg: #fff; --line: #d1d9e0;
  --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d;
  --ok: #3fb950; --warn: #d29922; --bad: #f85149; --accent: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
header strong { margin-right: auto; }
nav a { margin-right: 1rem; color: var(--accent); }
nav a[aria-current="page"] { color: var(--fg); font-weight: 600; text-decoration: none; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
h1 { font-size: 1.35rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .75rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .75rem; }
.card dt { color: var(--muted); font-size: .85rem; }
.card dd { margin: 0; font-size: 1.4rem; font-variant-numeric: tabular-nums; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.n, th.n { text-align: right; }
.ok { color: var(--ok); } .absorbed { color: var(--warn); } .failed, .refused { color: var(--bad); } .cancelled, .connection, .prewarm { color: var(--muted); }
.muted { color: var(--muted); }
svg.chart { width: 100%; height: 10rem; }
svg.chart .ok { fill: var(--ok); } svg.chart .absorbed { fill: var(--warn); } svg.chart .failed { fill: var(--bad); }
form.inline { display: inline; }
form.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .5rem 0; }
label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
input, select, button { font: inherit; padding: .3rem .5rem; }
button { cursor: pointer; }
.secret { border: 2px solid var(--warn); border-radius: 6px; padding: .75rem; margin: .75rem 0; }
pre { overflow-x: auto; background: color-mix(in srgb, var(--line) 30%, transparent); padding: .5rem; }
[role="alert"] { color: var(--bad); }
`;

export const SCRIPT = `
'use strict';
for (const time of document.querySelectorAll('time[datetime]')) {
  const at = new Date(time.getAttribute('datetime'));
  const hour = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  if (!Number.isNaN(at.getTime())) time.textContent = time.dataset.form === 'hour' ? at.toLocaleString([], hour) : at.toLocaleString();
}
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
function show(form, node) {
  const out = form.querySelector('output') ?? form.parentElement.querySelector('output');
  if (out) out.replaceChildren(node);
}
function text(tag, content, attrs = {}) {
  const node = document.createElement(tag);
  node.textContent = content;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}
async function shownOnce(key) {
  const box = text('div', '', { class: 'secret', role: 'status' });
  box.append(text('p', 'The new key, shown once: copy it now, it cannot be shown again.'), text('pre', key, { 'aria-label': 'new key' }));
  const config = await fetch('/v1/codex-config', { headers: { authorization: 'Bearer ' + key } });
  if (config.ok) {
    const how = 'The Codex config block (~/.codex/config.toml), then export CODEX_EDGE_API_KEY=<the key above>:';
    box.append(text('p', how), text('pre', await config.text(), { 'aria-label': 'codex config' }));
  }
  return box;
}
for (const form of document.querySelectorAll('form[data-api]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const [method, path] = form.dataset.api.split(' ');
    const body = {};
    for (const field of form.querySelectorAll('input[name], select[name]')) {
      if (field.value === '') continue;
      body[field.name] = field.type === 'number' ? Number(field.value) : field.value;
    }
    const headers = { 'content-type': 'application/json', 'x-csrf-token': csrf, 'x-admin-actor': 'operator-page' };
    const answer = await fetch(path, { method, headers, body: JSON.stringify(body) });
    const result = await answer.json().catch(() => ({}));
    if (!answer.ok) return show(form, text('span', result.error?.message ?? 'failed: ' + answer.status, { role: 'alert' }));
    if (typeof result.key === 'string') return show(form, await shownOnce(result.key));
    window.location.reload();
  });
}
`;
