import { escapeHtml } from './html.js';

/** Fixed texts for the `notice` query parameter: the page never reflects text from the address. */
export const NOTICES: Readonly<Record<string, string>> = {
  connected: 'Intercom is connected: delivery uses the new token.',
  disconnected:
    'Intercom is disconnected: the token was deleted and delivery is paused until a token is back.',
  denied: 'Intercom access was not granted (Deny was chosen on Intercom’s page). Nothing changed.',
  state_mismatch:
    'Intercom’s answer does not belong to this sign-in (the state did not match or expired). Nothing was stored; connect again.',
  exchange_failed: 'Intercom did not give a token for the code. Nothing was stored; connect again.',
  workspace_mismatch:
    'The token belongs to another workspace than this destination’s App ID (INTERCOM_APP_ID). It was not stored.',
  no_secret_key: 'Tokens cannot be stored: set SECRET_KEY (at least 32 characters) and restart.',
  not_oauth: 'This destination takes its token from the configuration, not from OAuth.',
};

/** The console's page: its data comes from `/console/api/*`, drawn by `console.js`. */
export function consolePage(csrf: string, notice: string | undefined): string {
  const text = notice === undefined ? undefined : NOTICES[notice];
  const banner =
    text === undefined
      ? ''
      : `<div id="notice" class="notice notice-${escapeHtml(notice ?? '')}" role="status">${escapeHtml(text)}</div>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Intercom destination · console</title><meta name="csrf-token" content="${escapeHtml(csrf)}">
<link rel="stylesheet" href="/console/assets/uplot.css"><link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/uplot.js" defer></script><script src="/console/assets/console.js" defer></script></head>
<body><header><h1>Intercom destination</h1><span id="updated">loading…</span>
<form method="post" action="/console/sign-out"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit">Sign out</button></form></header>
${banner}<main><section id="destinations" aria-live="polite"></section>
<section id="dead-letters"><h2>Dead letters</h2><div class="filters">
<label>Destination <select id="dl-destination"><option value="">all</option></select></label>
<label>Reason <select id="dl-reason"><option value="">all</option></select></label>
<button type="button" id="dl-redrive-reason">Redrive all of this reason</button>
<button type="button" id="dl-purge-reason" class="danger">Purge all of this reason</button></div>
<p id="dl-result" role="status"></p>
<table id="dl-list"><thead><tr><th>#</th><th>died</th><th>destination</th><th>event</th><th>reason</th><th>Intercom said</th><th>attempts</th><th></th></tr></thead><tbody></tbody></table>
<div id="dl-detail"></div></section>
<section id="doctor"><h2>Doctor</h2><button type="button" id="doctor-run">Run the checks</button><ul id="doctor-findings"></ul></section>
</main></body></html>`;
}

/** The console's own styles (served as a file: the page's CSP allows no inline style sheet). */
export const CONSOLE_STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{display:flex;gap:1rem;align-items:center;background:#1d2330;color:#fff;padding:.6rem 1.2rem}
header h1{font-size:1.1rem;margin:0;flex:1}header button{background:#fff2;color:#fff}
main{padding:1rem 1.2rem;max-width:84rem;margin:auto}section{margin-bottom:1.5rem}
.card{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:1rem 1.2rem;margin-bottom:1rem}
.card h2{margin:0 0 .4rem;font-size:1.15rem}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.3rem 1.5rem}
.status{font-weight:600}.status-delivering{color:#16733a}.status-rate_limited{color:#9a6700}.status-paused{color:#b3261e}
button,.button{padding:.3rem .8rem;font:inherit;border:1px solid #1f5fd1;background:#1f5fd1;color:#fff;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}
button.danger{background:#b3261e;border-color:#b3261e}button.secondary{background:#fff;color:#1f5fd1}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e3e5ea;vertical-align:top}
.notice{background:#e8f0fe;border-left:4px solid #1f5fd1;padding:.6rem 1rem;margin:1rem 1.2rem}
.notice-denied,.notice-state_mismatch,.notice-exchange_failed,.notice-workspace_mismatch,.notice-no_secret_key{background:#fdecea;border-color:#b3261e}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;max-height:20rem}.warn{color:#9a6700}.problem{color:#b3261e}
.chart{margin:.5rem 0}.filters{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-bottom:.5rem}`;
