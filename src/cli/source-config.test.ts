import { describe, expect, it } from 'vitest';
import { ConfigError, readServeConfig } from './config.js';
import { parseDestinationsFile } from './destinations-file.js';

const SECRET = 'whsec_SECRET_0123456789abcdef';
const OTHER = 'whsec_SECRET_fedcba9876543210';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readServeConfig(env, '/srv');
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

function destination(sources: unknown[]): unknown {
  return { destinations: [{ id: 'acme', accessToken: 'tok', sources }] };
}

describe('I-7 webhook secrets in DESTINATIONS_FILE', () => {
  it('I-7 a source may have a webhook secret only, a write key only, or both', () => {
    const parsed = parseDestinationsFile(
      destination([
        { id: 'segment', webhookSecret: SECRET },
        { id: 'web', writeKey: 'wk-web' },
        { id: 'both', writeKey: 'wk-both', webhookSecretEnv: 'OTHER_SECRET' },
      ]),
      { OTHER_SECRET: OTHER },
    );
    expect(parsed).toEqual({
      destinations: [
        expect.objectContaining({
          sources: [
            { sourceId: 'segment', webhookSecret: SECRET },
            { sourceId: 'web', writeKey: 'wk-web' },
            { sourceId: 'both', writeKey: 'wk-both', webhookSecret: OTHER },
          ],
        }),
      ],
    });
  });

  it('I-7 reports a source with neither, a short secret, an unset variable and a shared secret, never quoting one', () => {
    const parsed = parseDestinationsFile(
      destination([
        { id: 'none' },
        { id: 'short', webhookSecret: 'abc123' },
        { id: 'unset', webhookSecretEnv: 'NOT_SET' },
        { id: 'first', webhookSecret: SECRET },
        { id: 'second', webhookSecret: SECRET },
      ]),
      {},
    );
    const errors = 'errors' in parsed ? parsed.errors : [];
    expect(errors).toEqual([
      'destinations[0].sources[0] needs a writeKey, a webhookSecret (or webhookSecretEnv), or both',
      "destinations[0].sources[1]'s webhook secret must be at least 16 characters",
      'destinations[0].sources[2].webhookSecretEnv names NOT_SET, which is not set',
      'source second reuses the webhook secret of source first',
    ]);
    expect(errors.join('\n')).not.toMatch(/abc123|whsec/);
  });
});

describe('I-7 SEGMENT_WEBHOOK_SECRET (single tenant)', () => {
  it('I-7 lets a real workspace take events from a Segment workspace without any write key', () => {
    const config = readServeConfig({ INTERCOM_ACCESS_TOKEN: 'tok', SEGMENT_WEBHOOK_SECRET: SECRET }, '/srv');
    expect(config.destinations.map((d) => d.sources)).toEqual([
      [{ sourceId: 'default', webhookSecret: SECRET }],
    ]);
  });

  it("I-7 gives the webhook the write keys' source id, so an event arriving both ways is stored once", () => {
    const config = readServeConfig(
      { INTERCOM_ACCESS_TOKEN: 'tok', SEGMENT_WRITE_KEY: 'wk1', SEGMENT_WEBHOOK_SECRET: SECRET },
      '/srv',
    );
    expect(config.destinations[0]?.sources).toEqual([
      { sourceId: 'default', writeKey: 'wk1' },
      { sourceId: 'default', webhookSecret: SECRET },
    ]);
  });

  it('I-7 refuses a short secret without quoting it', () => {
    expect(problemsOf({ INTERCOM_ACCESS_TOKEN: 'tok', SEGMENT_WEBHOOK_SECRET: 'short' })).toEqual([
      'SEGMENT_WEBHOOK_SECRET must be at least 16 characters',
      'SEGMENT_WRITE_KEY is required when delivering to a real Intercom workspace (comma-separated list of accepted keys), or SEGMENT_WEBHOOK_SECRET to take events from a Segment workspace',
    ]);
  });
});
