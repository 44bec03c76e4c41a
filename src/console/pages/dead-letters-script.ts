/**
 * The rest of the console page's script (after `DESTINATIONS_SCRIPT`): the dead letters (filter by
 * destination and reason, look at one, redrive or purge one or all of a reason), the doctor, and the
 * refresh loop. Values from the server are set as text, never as HTML.
 */
export const DEAD_LETTERS_SCRIPT = String.raw`
function selected(id) { return document.getElementById(id).value || undefined; }
async function loadDeadLetters() {
  const params = new URLSearchParams();
  if (selected('dl-destination')) params.set('destination', selected('dl-destination'));
  if (selected('dl-reason')) params.set('reason', selected('dl-reason'));
  const { deadLetters } = await api('GET', '/console/api/dead-letters?' + params);
  const body = document.querySelector('#dl-list tbody');
  body.replaceChildren(...deadLetters.map((l) => el('tr', { id: 'dl-' + l.id },
    el('td', { text: String(l.id) }), el('td', { text: new Date(l.diedAtMs).toLocaleString() }), el('td', { text: l.destinationId }),
    el('td', { text: l.event }), el('td', { class: 'reason', text: l.reason }),
    el('td', { text: [l.status, l.code, l.message].filter((v) => v !== undefined).join(' ') }), el('td', { text: String(l.attempts) }),
    el('td', {}, el('button', { type: 'button', class: 'secondary', text: 'Open', onclick: () => openLetter(l.id) })))));
}
function json(value) { return el('pre', { text: JSON.stringify(value, null, 2) }); }
async function openLetter(id) {
  const letter = await api('GET', '/console/api/dead-letters/' + id);
  const attempts = el('tbody');
  for (const a of letter.attempts) {
    const f = a.failure || {};
    attempts.append(el('tr', {}, el('td', { text: new Date(a.atMs).toLocaleString() }), el('td', { text: a.decision }),
      el('td', { text: String(a.calls) }), el('td', { text: [f.status, f.code, f.message, f.requestId, f.timeoutMs && 'timeout ' + f.timeoutMs + ' ms'].filter(Boolean).join(' ') })));
  }
  document.getElementById('dl-detail').replaceChildren(el('div', { class: 'card', id: 'dl-open' },
    el('h3', { text: 'Dead letter #' + letter.id + ' · ' + letter.reason + ' · ' + letter.destinationId }),
    el('p', { text: 'Intercom said: ' + ([letter.status, letter.code, letter.message].filter((v) => v !== undefined).join(' ') || 'nothing') }),
    el('button', { type: 'button', id: 'dl-redrive-one', text: 'Redrive this one', onclick: () => selectAction('redrive', { ids: [letter.id] }) }), ' ',
    el('button', { type: 'button', class: 'danger', id: 'dl-purge-one', text: 'Purge this one', onclick: () => selectAction('purge', { ids: [letter.id] }) }),
    el('h4', { text: 'Event' }), json(letter.event), el('h4', { text: 'Plan' }), json(letter.plan === undefined ? null : letter.plan),
    el('h4', { text: 'Attempts and Intercom’s answers' }),
    el('table', {}, el('thead', {}, el('tr', {}, ...['when', 'decision', 'calls', 'answer'].map((h) => el('th', { text: h })))), attempts)));
}
async function selectAction(action, selector) {
  if (action === 'purge' && !confirm('Delete these dead letters for good?')) return;
  try {
    const { count } = await api('POST', '/console/api/dead-letters/' + action, selector);
    document.getElementById('dl-result').textContent = (action === 'redrive' ? 'Redrove ' : 'Purged ') + count + ' dead letter' + (count === 1 ? '' : 's') + '.';
    document.getElementById('dl-detail').replaceChildren();
  } catch (error) { document.getElementById('dl-result').textContent = action + ' failed: ' + error.message; }
  await loadDeadLetters();
  await refresh();
}
function reasonSelector() {
  const reason = selected('dl-reason');
  if (reason === undefined) { document.getElementById('dl-result').textContent = 'Choose a reason first.'; return undefined; }
  return { reason, ...(selected('dl-destination') ? { destinationId: selected('dl-destination') } : {}) };
}
async function runDoctor() {
  const list = document.getElementById('doctor-findings');
  list.replaceChildren(el('li', { text: 'running…' }));
  try {
    const { findings } = await api('POST', '/console/api/doctor');
    list.replaceChildren(...findings.map((f) => el('li', { class: f.severity === 'ok' ? '' : f.severity === 'warning' ? 'warn' : 'problem', text: f.severity + ' · ' + f.subject + ': ' + f.text })));
  } catch (error) { list.replaceChildren(el('li', { class: 'problem', text: 'the checks failed: ' + error.message })); }
}
async function start() {
  const { reasons, destinations } = await api('GET', '/console/api/dead-letters?limit=1');
  for (const r of reasons) document.getElementById('dl-reason').append(el('option', { value: r, text: r }));
  for (const d of destinations) document.getElementById('dl-destination').append(el('option', { value: d, text: d }));
  for (const id of ['dl-reason', 'dl-destination']) document.getElementById(id).addEventListener('change', () => void loadDeadLetters());
  document.getElementById('dl-redrive-reason').addEventListener('click', () => { const s = reasonSelector(); if (s) void selectAction('redrive', s); });
  document.getElementById('dl-purge-reason').addEventListener('click', () => { const s = reasonSelector(); if (s) void selectAction('purge', s); });
  document.getElementById('doctor-run').addEventListener('click', () => void runDoctor());
  await refresh();
  await loadDeadLetters();
  setInterval(() => void refresh(), 2000);
  setInterval(() => void loadDeadLetters().catch(() => undefined), 5000);
}
void start();
`;
