/** Running totals since the process started: destination → series → count. */
export type FlowTotals = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** The series the console draws, and the call classes it sums (`calls_2xx`, …). */
export const CHART_SERIES = ['received', 'delivered', 'skipped', 'dead'] as const;

/** One minute, in ms. */
export const MINUTE_MS = 60_000;

/** The start of the minute holding `atMs`. */
export function minuteOf(atMs: number): number {
  return Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
}

/** The class of an Intercom answer's status as the console counts calls: `2xx`, `4xx`, `429`, `5xx`, `failed`. */
export function callClass(status: string): string {
  if (status === '429') return '429';
  const code = Number(status);
  if (!Number.isInteger(code)) return 'failed';
  return `${Math.floor(code / 100)}xx`;
}

/** What changed from `before` to `after`, as positive counts (a counter never goes down). */
export function totalsDelta(
  before: FlowTotals,
  after: FlowTotals,
): { destinationId: string; series: string; count: number }[] {
  const delta: { destinationId: string; series: string; count: number }[] = [];
  for (const [destinationId, series] of after) {
    for (const [name, total] of series) {
      const count = total - (before.get(destinationId)?.get(name) ?? 0);
      if (count > 0) delta.push({ destinationId, series: name, count });
    }
  }
  return delta;
}
