import type { FlowHistory } from '../flow-history.js';
import type { StoredTokens } from '../stored-tokens.js';
import type { SqlDialect } from './dialect.js';
import type { SqlContext } from './sql-context.js';
import { always, rowsOf, transactOne } from './sql-runner.js';

function flowStatements(d: SqlDialect) {
  return {
    // Adding, not replacing: on a shared PostgreSQL queue every process adds its own counts to the minute.
    add: d.compile(
      (p) => `INSERT INTO flow_minutes (destination_id, minute_ms, series, count)
        VALUES (${p('id')}, ${p('minute')}, ${p('series')}, ${p('count')})
        ON CONFLICT (destination_id, minute_ms, series) DO UPDATE SET count = flow_minutes.count + excluded.count`,
    ),
    since: d.compile(
      (
        p,
      ) => `SELECT destination_id, minute_ms, series, count FROM flow_minutes WHERE minute_ms >= ${p('since')}
        ORDER BY minute_ms, destination_id, series`,
    ),
    prune: d.compile((p) => `DELETE FROM flow_minutes WHERE minute_ms < ${p('before')}`),
    saveToken: d.compile(
      (p) => `INSERT INTO intercom_tokens (destination_id, sealed, app_id, connected_at_ms)
        VALUES (${p('id')}, ${p('sealed')}, ${p('app')}, ${p('at')})
        ON CONFLICT (destination_id) DO UPDATE SET sealed = excluded.sealed, app_id = excluded.app_id,
          connected_at_ms = excluded.connected_at_ms`,
    ),
    tokens: d.compile(
      () =>
        'SELECT destination_id, sealed, app_id, connected_at_ms FROM intercom_tokens ORDER BY destination_id',
    ),
    deleteToken: d.compile((p) => `DELETE FROM intercom_tokens WHERE destination_id = ${p('id')}`),
  };
}

interface FlowRow {
  readonly destination_id: string;
  readonly minute_ms: number;
  readonly series: string;
  readonly count: number;
}

interface TokenRow {
  readonly destination_id: string;
  readonly sealed: string;
  readonly app_id: string | null;
  readonly connected_at_ms: number;
}

/** The console's per-minute history and the OAuth tokens, in SQL. */
export function createSqlFlowHistory({ runner, dialect }: SqlContext): FlowHistory & StoredTokens {
  const s = flowStatements(dialect);
  return {
    async addFlowCounts(counts) {
      if (counts.length === 0) return;
      const steps = counts.map((c) =>
        always({
          statement: s.add,
          values: { id: c.destinationId, minute: c.minuteMs, series: c.series, count: c.count },
        }),
      );
      await runner.transact('add flow counts', 'relaxed', { lanes: [], steps });
    },
    async flowCountsSince(sinceMs) {
      const result = await runner.query('read flow counts', {
        statement: s.since,
        values: { since: sinceMs },
      });
      return rowsOf<FlowRow>(result).map((row) => ({
        destinationId: row.destination_id,
        minuteMs: row.minute_ms,
        series: row.series,
        count: row.count,
      }));
    },
    async pruneFlowCounts(beforeMs) {
      const bound = { statement: s.prune, values: { before: beforeMs } };
      return (await transactOne(runner, 'prune flow counts', 'relaxed', bound)).changes;
    },
    async saveToken(token) {
      const values = {
        id: token.destinationId,
        sealed: token.sealed,
        app: token.appId ?? null,
        at: token.connectedAtMs,
      };
      await transactOne(runner, 'save token', 'durable', { statement: s.saveToken, values });
    },
    async storedTokens() {
      const result = await runner.query('read tokens', { statement: s.tokens, values: {} });
      return rowsOf<TokenRow>(result).map((row) => ({
        destinationId: row.destination_id,
        sealed: row.sealed,
        ...(row.app_id === null ? {} : { appId: row.app_id }),
        connectedAtMs: row.connected_at_ms,
      }));
    },
    async deleteToken(destinationId) {
      const bound = { statement: s.deleteToken, values: { id: destinationId } };
      return (await transactOne(runner, 'delete token', 'durable', bound)).changes > 0;
    },
  };
}
