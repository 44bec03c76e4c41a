import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Env } from './command.js';
import { createTranslateCommand } from './translate-command.js';

const SAMPLE = fileURLToPath(new URL('../../examples/events.jsonl', import.meta.url));
const NOW = new Date('2024-05-01T00:00:00.000Z');

async function run(
  args: readonly string[],
  stdinText = '',
  env: Env = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  stdin.end(stdinText);
  const command = createTranslateCommand({ clock: { now: () => NOW.getTime() } });
  const code = await command(args, env, { stdin, stdout, stderr }, new AbortController().signal);
  return { code, out, err };
}

describe('translate command', () => {
  it('prints operations, skips and line errors for the shipped sample file and goes on after bad lines', async () => {
    const { code, out } = await run([SAMPLE], '', { INTERCOM_RICH_LINK_PROPERTIES: 'invoice' });
    expect(code).toBe(1);
    expect(out).toContain(
      'line 1: identify userId=user-1\n  POST /contacts or PUT /contacts/{contact external_id=user-1}',
    );
    expect(out).toContain('  POST /companies  {"company_id":"2017828326","name":"Segment"}');
    expect(out).toContain('"price":{"amount":1999,"currency":"eur"},"invoice":{"url":"https://shop.');
    expect(out).toContain('line 4: track "Viewed Pricing" anonymousId=anon-9\n  skip no_identity:');
    expect(out).toContain(
      '  DELETE /contacts/{contact external_id=user-1}/companies/{company company_id=acme}',
    );
    expect(out).toContain('line 7: page userId=user-1\n  skip no_server_effect:');
    expect(out).toContain('line 8: alias userId=user-1\n  skip unsupported_type:');
    expect(out).toContain('line 9: invalid event:');
    expect(out).toMatch(/line 10: invalid JSON: /);
  });

  it('reads stdin with "-" and prints JSON plans with --json; events without a timestamp get the injected now', async () => {
    const input = [
      '{"type":"track","userId":"u1","event":"Played"}',
      '',
      '{"type":"screen","userId":"u1"}',
    ].join('\n');
    const { code, out } = await run(['--json', '-'], input);
    expect(code).toBe(0);
    const records = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(records).toEqual([
      {
        line: 1,
        plan: {
          kind: 'deliver',
          operations: [
            {
              kind: 'submit_event',
              identity: { externalId: 'u1' },
              event: { event_name: 'Played', created_at: NOW.getTime() / 1000, user_id: 'u1' },
            },
          ],
          warnings: [],
        },
      },
      {
        line: 3,
        plan: {
          kind: 'skip',
          reason: 'no_server_effect',
          detail: 'screen has no effect on Intercom in cloud mode',
        },
      },
    ]);
  });

  it('C-TR-4 applies settings from the environment', async () => {
    const input =
      '{"type":"track","userId":"u1","event":"E","timestamp":"2024-01-01T00:00:00Z","properties":{"a":1,"b":2}}';
    const { out } = await run(['--full'], input, { INTERCOM_MAX_EVENT_METADATA_KEYS: '1' });
    expect(out).toContain('"metadata":{"a":1}');
    expect(out).toContain('warning dropped_metadata_keys properties: over the 1-key metadata limit: b');
  });

  it('reports every invalid setting and exits 2 before reading input', async () => {
    const { code, out, err } = await run([], '{}', {
      INTERCOM_COLLECT_CONTEXT: 'maybe',
      INTERCOM_MAX_EVENT_METADATA_KEYS: 'x',
    });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('INTERCOM_COLLECT_CONTEXT must be true or false');
    expect(err).toContain('INTERCOM_MAX_EVENT_METADATA_KEYS must be a whole number');
  });

  it('C-IDN-5 with leads, shows email-only contacts as leads and the merge an identify with a userId causes', async () => {
    const input = [
      '{"type":"identify","anonymousId":"a1","traits":{"email":"grace@example.com"}}',
      '{"type":"track","anonymousId":"a1","event":"Viewed","properties":{"email":"grace@example.com"}}',
      '{"type":"identify","userId":"u1","traits":{"email":"grace@example.com"}}',
    ].join('\n');
    const { code, out } = await run(['-'], input, { INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: 'lead' });
    expect(code).toBe(0);
    expect(out).toContain('  POST /contacts or PUT /contacts/{lead email=grace@example.com}');
    expect(out).toContain('  POST /events (by the id of lead {lead email=grace@example.com})');
    expect(out).toContain(
      '  POST /contacts/merge  {"from": {lead email=grace@example.com}, "into": {contact external_id=u1}}',
    );
  });

  it('exits 2 with a message for a missing file', async () => {
    const { code, err } = await run(['does-not-exist.jsonl']);
    expect(code).toBe(2);
    expect(err).toContain('cannot read does-not-exist.jsonl: ENOENT');
  });

  it('exits 2 on unknown flags', async () => {
    const refused = await run(['--nope']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--nope');
  });
});
