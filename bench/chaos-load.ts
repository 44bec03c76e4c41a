/**
 * The chaos benchmark's traffic: users whose events come in a known order, and senders that post
 * them through `/v1/batch` as Segment's libraries do, retrying a batch (same messageIds) until it
 * is acknowledged, whatever happens to the server meanwhile.
 */

/** One user of the run and what it was sent. */
export interface ChaosUser {
  /** `userId`, or undefined for a user known by email only (C-IDN-1). */
  readonly userId?: string;
  readonly email: string;
  /** Its events in the order sent: an identify at 0 and at the middle, tracks `Chaos <k>` else. */
  readonly events: readonly object[];
}

/** The value of the `plan` trait the identify at index `k` sets; the last one must win. */
export function planAt(k: number): string {
  return `plan-${k}`;
}

/** Users and their events: `eventsPerUser` each; every twentieth user is known by email only. */
export function chaosUsers(users: number, eventsPerUser: number): ChaosUser[] {
  const result: ChaosUser[] = [];
  const base = Date.UTC(2024, 0, 1);
  for (let u = 0; u < users; u += 1) {
    const emailOnly = u % 20 === 19;
    const userId = emailOnly ? undefined : `chaos-${u}`;
    const email = `chaos-${u}@example.com`;
    const who = userId === undefined ? { anonymousId: `anon-${u}` } : { userId };
    const events: object[] = [];
    for (let k = 0; k < eventsPerUser; k += 1) {
      const timestamp = new Date(base + k * 1000).toISOString();
      const messageId = `chaos-${u}-${k}`;
      if (k === 0 || k === Math.floor(eventsPerUser / 2)) {
        events.push({ type: 'identify', messageId, ...who, timestamp, traits: { email, plan: planAt(k) } });
      } else {
        const properties = userId === undefined ? { step: k, email } : { step: k };
        events.push({ type: 'track', messageId, ...who, timestamp, event: `Chaos ${k}`, properties });
      }
    }
    result.push({ ...(userId === undefined ? {} : { userId }), email, events });
  }
  return result;
}

/** What the senders saw. */
export interface SendReport {
  readonly acknowledged: number;
  /** Batches sent again after a refused connection, a lost answer or a 5xx. */
  readonly retries: number;
  readonly lastAckAtMs: number;
}

/**
 * The batches of one sender: its users' events interleaved in rounds (each user's order kept), cut
 * into batches of `batchSize`.
 */
function batchesOf(users: readonly ChaosUser[], batchSize: number): object[][] {
  const flat: object[] = [];
  const longest = Math.max(0, ...users.map((u) => u.events.length));
  for (let k = 0; k < longest; k += 1)
    for (const user of users) if (k < user.events.length) flat.push(user.events[k]!);
  const batches: object[][] = [];
  for (let i = 0; i < flat.length; i += batchSize) batches.push(flat.slice(i, i + batchSize));
  return batches;
}

/** Posts a batch until it is acknowledged (200); resolves to the number of tries it took. */
async function postUntilAcknowledged(url: string, auth: string, batch: object[]): Promise<number> {
  const body = JSON.stringify({ batch, sentAt: new Date().toISOString() });
  for (let tries = 1; ; tries += 1) {
    try {
      const response = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status === 200) return tries;
      if (response.status < 500 && response.status !== 429)
        throw new TypeError(`ingest answered ${response.status}`);
    } catch (error: unknown) {
      if (error instanceof TypeError && error.message.startsWith('ingest answered')) throw error;
      // Refused, reset or timed out: the server is down or being restarted; try again like a library.
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * tries)));
  }
}

/** How the senders send: how many in parallel, batch size, and the total rate they keep to. */
export interface SendOptions {
  readonly senders: number;
  readonly eventsPerSecond: number;
  readonly batchSize?: number;
}

/**
 * Sends every user's events with `senders` senders in parallel, each owning a share of the users, so
 * the events of one user are always sent (and acknowledged) in order. Together they keep to
 * `eventsPerSecond` (live traffic, not a dump), falling behind only while the server is down.
 */
export async function sendAll(
  url: string,
  writeKey: string,
  users: readonly ChaosUser[],
  options: SendOptions,
): Promise<SendReport> {
  const { senders, batchSize = 100 } = options;
  const msPerBatch = (batchSize * senders * 1000) / options.eventsPerSecond;
  const startedAt = Date.now();
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  let acknowledged = 0;
  let retries = 0;
  let lastAckAtMs = 0;
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      const mine = users.filter((_user, u) => u % senders === s);
      for (const [i, batch] of batchesOf(mine, batchSize).entries()) {
        const due = startedAt + i * msPerBatch;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        retries += (await postUntilAcknowledged(url, auth, batch)) - 1;
        acknowledged += batch.length;
        lastAckAtMs = Date.now();
      }
    }),
  );
  return { acknowledged, retries, lastAckAtMs };
}
