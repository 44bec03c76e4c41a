/**
 * The console page's script, served as `/console/assets/console.js`: it reads `/console/api/overview`
 * every two seconds and draws each destination, its charts (uPlot, served by the product) and recent
 * failures. Every value from the server goes into the page as text (`textContent`), never as HTML, so
 * event names and Intercom's messages cannot inject markup. Plain browser JavaScript, no build step.
 */
export const DESTINATIONS_SCRIPT = String.raw`
'use strict';
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const charts = new Map();
const SERIES = [
  { name: 'received', stroke: '#1f5fd1' },
  { name: 'delivered', stroke: '#16733a' },
  { name: 'skipped', stroke: '#8a8f98' },
  { name: 'dead', stroke: '#b3261e' },
];
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'text') node.textContent = value;
    else if (key === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) { location.href = '/console/sign-in'; throw new Error('signed out'); }
  const json = await response.json();
  if (!response.ok) throw new Error(json.error || 'HTTP ' + response.status);
  return json;
}
function age(seconds) {
  if (seconds === undefined) return '—';
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}
function time(iso) { return iso === undefined ? '' : new Date(iso).toLocaleTimeString(); }
function statusText(d) {
  if (d.status === 'delivering') return 'Delivering';
  if (d.status === 'rate_limited') return 'Rate limited until ' + time(d.until) + ' (' + d.reason + ')';
  return (d.pausedByOperator ? 'Paused by an operator' : 'Paused: ' + d.reason) + ' — nothing is dropped, events wait';
}
const SOURCES = {
  environment: 'INTERCOM_ACCESS_TOKEN (environment)',
  destinations_file: 'DESTINATIONS_FILE',
  sandbox: 'the local sandbox',
  oauth: 'OAuth (connected from this console)',
};
function tokenLine(d) {
  const t = d.token;
  const line = el('div', { class: 'token' });
  if (t.source === 'oauth' && !t.present) {
    line.append(el('strong', { text: 'Token: OAuth, not connected — delivery waits until Intercom is connected. ' }));
  } else {
    line.append('Token: ' + SOURCES[t.source] + (t.hint ? ' (…' + t.hint + ')' : ''));
    if (t.appId) line.append(', workspace ' + t.appId);
    if (t.connectedAt) line.append(', connected ' + new Date(t.connectedAt).toLocaleString());
    line.append(' ');
  }
  if (t.canConnect && !t.present) {
    line.append(el('a', { class: 'button', id: 'connect-' + d.id, href: '/console/oauth/' + encodeURIComponent(d.id) + '/connect', text: 'Connect Intercom' }));
  }
  if (t.canConnect && t.present) {
    line.append(el('button', { type: 'button', class: 'danger', id: 'disconnect-' + d.id, text: 'Disconnect', onclick: () => act('disconnect', d.id) }));
  }
  return line;
}
async function act(action, id) {
  try {
    if (action === 'disconnect' && !confirm('Disconnect Intercom? The token is revoked and delivery pauses.')) return;
    await api('POST', '/console/api/destinations/' + encodeURIComponent(id) + '/' + action);
    if (action === 'disconnect') location.href = '/console?notice=disconnected';
  } catch (error) { alert(action + ' failed: ' + error.message); }
  await refresh();
}
function failuresTable(d) {
  if (d.failures.length === 0) return el('p', { class: 'failures', text: 'No recent failures.' });
  const body = el('tbody');
  for (const f of d.failures) {
    const said = [f.status, f.code, f.message].filter((v) => v !== undefined).join(' ');
    body.append(el('tr', {}, el('td', { text: new Date(f.atMs).toLocaleTimeString() }), el('td', { text: f.failureClass || '' }),
      el('td', { text: f.event }), el('td', { text: f.reason ? 'dead: ' + f.reason : f.decision }), el('td', { text: said })));
  }
  return el('table', { class: 'failures' }, el('thead', {}, el('tr', {}, ...['when', 'class', 'event', 'what next', 'Intercom said'].map((h) => el('th', { text: h })))), body);
}
function chartData(d) { return [d.flow.minutes, ...SERIES.map((s) => d.flow.series[s.name])]; }
function drawChart(d, holder) {
  const sum = (name) => d.flow.series[name].reduce((a, b) => a + b, 0);
  for (const s of SERIES) holder.dataset['total' + s.name[0].toUpperCase() + s.name.slice(1)] = String(sum(s.name));
  let chart = charts.get(d.id);
  if (chart === undefined || !holder.contains(chart.root)) {
    holder.replaceChildren();
    chart = new uPlot({ width: Math.min(900, holder.clientWidth || 900), height: 220, title: 'Events per minute, last hour',
      series: [{}, ...SERIES.map((s) => ({ label: s.name, stroke: s.stroke, width: 2 }))], scales: { x: { time: true } } }, chartData(d), holder);
    charts.set(d.id, chart);
  } else chart.setData(chartData(d));
}
function renderDestination(d) {
  let card = document.getElementById('dest-' + d.id);
  if (card === null) {
    card = el('article', { class: 'card', id: 'dest-' + d.id }, el('div', { class: 'summary' }), el('div', { class: 'chart' }), el('div', { class: 'failures-holder' }));
    document.getElementById('destinations').append(card);
  }
  const q = d.queue;
  const calls = Object.entries(d.flow.callsLastHour).map(([k, v]) => k + ': ' + v).join(', ') || 'none';
  const names = d.eventNames.count + ' of ' + d.eventNames.limit + ' active event names used (C-TR-6)';
  card.querySelector('.summary').replaceChildren(
    el('h2', { text: 'Destination ' + d.id + ' · ' + d.region.toUpperCase() }),
    el('div', { class: 'status status-' + d.status, 'data-status': d.status, text: statusText(d) }),
    el('div', {}, d.status === 'paused' && d.pausedByOperator
      ? el('button', { type: 'button', id: 'resume-' + d.id, text: 'Resume', onclick: () => act('resume', d.id) })
      : el('button', { type: 'button', class: 'secondary', id: 'pause-' + d.id, text: 'Pause', onclick: () => act('pause', d.id) })),
    tokenLine(d),
    el('div', { class: 'grid' },
      el('div', { class: 'queue', text: 'Queue: ' + q.pending + ' pending, ' + q.parked + ' waiting for their user, ' + q.inFlight + ' in flight' }),
      el('div', { text: 'Oldest pending: ' + age(d.oldestPendingAgeSeconds) }),
      el('div', { class: 'dead-count', text: 'Dead letters: ' + q.deadLetters }),
      el('div', { class: 'calls', text: 'Intercom calls, last hour: ' + calls }),
      el('div', { text: 'Rate limit: ' + (d.rateLimit ? d.rateLimit.remaining + ' of ' + d.rateLimit.limit + ' left in the window' : 'no answer seen yet') }),
      el('div', { class: d.eventNames.count >= d.eventNames.warningAt ? 'warn' : '', text: names })));
  card.querySelector('.failures-holder').replaceChildren(el('h3', { text: 'Recent failures' }), failuresTable(d));
  drawChart(d, card.querySelector('.chart'));
}
async function refresh() {
  try {
    const overview = await api('GET', '/console/api/overview');
    for (const d of overview.destinations) renderDestination(d);
    document.getElementById('updated').textContent = 'updated ' + new Date(overview.now).toLocaleTimeString();
    window.dispatchEvent(new CustomEvent('console-refreshed', { detail: overview }));
  } catch (error) {
    document.getElementById('updated').textContent = 'update failed: ' + error.message;
  }
}
`;
