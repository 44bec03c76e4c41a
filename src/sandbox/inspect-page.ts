import type { RecordedRequest } from './request-log.js';
import type { SandboxState } from './store.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '<td></td>';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `<td>${escapeHtml(text)}</td>`;
}

function table(title: string, headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body =
    rows.length === 0
      ? `<tr><td colspan="${headers.length}">none yet</td></tr>`
      : rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  return `<h2>${escapeHtml(title)} (${rows.length})</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function isoSeconds(seconds: number | null): string {
  return seconds === null ? '' : new Date(seconds * 1000).toISOString();
}

/** A plain HTML page listing contacts, companies, events and recent requests, for humans. */
export function renderInspectPage(state: SandboxState, requests: readonly RecordedRequest[]): string {
  const companyName = new Map(state.companies.map((c) => [c.id, c.name ?? c.company_id]));
  const contacts = state.contacts.map((c) => [
    c.id,
    c.role,
    c.external_id,
    c.email,
    c.name,
    isoSeconds(c.signed_up_at),
    isoSeconds(c.last_seen_at),
    c.custom_attributes,
    state.attachments
      .filter((a) => a.contact_id === c.id)
      .map((a) => companyName.get(a.company_id))
      .join(', '),
    c.merged_into !== null ? `merged into ${c.merged_into}` : c.archived ? 'archived' : '',
  ]);
  const companies = state.companies.map((c) => [
    c.id,
    c.company_id,
    c.name,
    c.plan,
    c.monthly_spend,
    c.size,
    c.custom_attributes,
  ]);
  const events = [...state.events]
    .reverse()
    .map((e) => [isoSeconds(e.created_at), e.event_name, e.user_id ?? e.email ?? e.contact_id, e.metadata]);
  const recent = [...requests]
    .reverse()
    .slice(0, 50)
    .map((r) => [
      new Date(r.time).toISOString(),
      r.method,
      r.path,
      r.status === 0 ? 'dropped' : r.status,
      r.violations.map((v) => `${v.path}: ${v.message}`).join('; '),
    ]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Intercom sandbox</title>
<meta http-equiv="refresh" content="5">
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;margin-bottom:1.5rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}code{background:#f3f3f3}</style>
</head><body>
<h1>Intercom sandbox — workspace <code>${escapeHtml(state.app_id)}</code></h1>
<p>JSON: <a href="/sandbox/state">/sandbox/state</a>, <a href="/sandbox/requests">/sandbox/requests</a>, <a href="/sandbox/violations">/sandbox/violations</a>. Event names in use: ${state.event_names.length}.</p>
${table('Contacts', ['id', 'role', 'external_id', 'email', 'name', 'signed_up_at', 'last_seen_at', 'custom_attributes', 'companies', 'merged'], contacts)}
${table('Companies', ['id', 'company_id', 'name', 'plan', 'monthly_spend', 'size', 'custom_attributes'], companies)}
${table('Events (newest first)', ['created_at', 'event_name', 'user', 'metadata'], events)}
${table('Recent requests (newest first)', ['time', 'method', 'path', 'status', 'violations'], recent)}
</body></html>
`;
}
