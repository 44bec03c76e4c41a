import { SandboxConfigError } from './sandbox-error.js';

/** Failures to inject into Intercom API routes, so clients can be tested against a misbehaving Intercom. */
export interface Faults {
  /** Share of requests answered with `errorStatus` (0..1). */
  readonly errorRate: number;
  /** Status of injected errors (default 500). */
  readonly errorStatus: number;
  /** Delay added before every request is handled. */
  readonly latencyMs: number;
  /** Share of requests whose connection is destroyed without an answer (0..1). */
  readonly dropRate: number;
}

/** No faults: the sandbox's default. */
export const NO_FAULTS: Faults = { errorRate: 0, errorStatus: 500, latencyMs: 0, dropRate: 0 };

/** What to do to one request. */
export type FaultAction =
  { readonly kind: 'none' } | { readonly kind: 'drop' } | { readonly kind: 'error'; readonly status: number };

/** Picks the fault for one request; drops are drawn first, then errors, each with its own random number. */
export function chooseFault(faults: Faults, random: () => number): FaultAction {
  if (faults.dropRate > 0 && random() < faults.dropRate) return { kind: 'drop' };
  if (faults.errorRate > 0 && random() < faults.errorRate)
    return { kind: 'error', status: faults.errorStatus };
  return { kind: 'none' };
}

/** Problems with a partial faults object from the control API; empty when it can be applied. */
export function checkFaults(input: Readonly<Record<string, unknown>>): readonly string[] {
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!(key in NO_FAULTS)) problems.push(`unknown fault '${key}'`);
  }
  const rate = (key: 'errorRate' | 'dropRate'): void => {
    const v = input[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1)))
      problems.push(`${key} must be a number from 0 to 1`);
  };
  rate('errorRate');
  rate('dropRate');
  const status = input['errorStatus'];
  if (
    status !== undefined &&
    (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
  ) {
    problems.push('errorStatus must be an integer HTTP error status (400..599)');
  }
  const latency = input['latencyMs'];
  if (latency !== undefined && (typeof latency !== 'number' || !(latency >= 0)))
    problems.push('latencyMs must be a number >= 0');
  return problems;
}

/** Applies a checked partial faults object over the current faults. */
export function mergeFaults(current: Faults, input: Readonly<Record<string, unknown>>): Faults {
  const num = (key: keyof Faults): number => {
    const v = input[key];
    return typeof v === 'number' ? v : current[key];
  };
  return {
    errorRate: num('errorRate'),
    errorStatus: num('errorStatus'),
    latencyMs: num('latencyMs'),
    dropRate: num('dropRate'),
  };
}

/** The faults in force: changed through the control API, restored to the initial ones by a reset. */
export interface FaultSwitch {
  /** The faults in force. */
  current(): Faults;
  /** Applies a partial faults object over the current one; throws `SandboxConfigError` when it is invalid. */
  set(input: Readonly<Record<string, unknown>>): void;
  /** Goes back to the initial faults. */
  restore(): void;
}

/** Creates the switch with the faults the sandbox started with. */
export function createFaultSwitch(initial: Faults): FaultSwitch {
  let faults = initial;
  return {
    current: () => faults,
    set(input) {
      const problems = checkFaults(input);
      if (problems.length > 0) throw new SandboxConfigError(`Invalid faults: ${problems.join('; ')}`);
      faults = mergeFaults(faults, input);
    },
    restore() {
      faults = initial;
    },
  };
}
