/**
 * What the chaos benchmark checks once the queue has drained: Intercom's state (the sandbox's) and
 * the queue's dead letters against what was acknowledged.
 */
import type { DeadLetter } from '../src/delivery/store/dead-letters.js';
import type { SandboxState } from '../src/sandbox/store.js';
import { type ChaosUser, planAt } from './chaos-load.js';

/** The findings of one run. */
export interface ChaosFindings {
  /** Acknowledged events neither delivered nor dead-lettered. */
  readonly lost: number;
  /** Contacts beyond one per user (same external_id, or the same email for users known by email). */
  readonly duplicatedContacts: number;
  /** Neighbouring delivered events of one user in the wrong order, plus users whose last identify lost. */
  readonly orderViolations: number;
  readonly deadByReason: Readonly<Record<string, number>>;
  readonly tracksDelivered: number;
}

/** The step index `k` of a track named `Chaos <k>`. */
function stepOf(name: string): number {
  return Number(/^Chaos (\d+)$/.exec(name)?.[1] ?? Number.NaN);
}

/** Each user's contacts, by external_id (or by email for users without one). */
function contactsByUser(state: SandboxState): Map<string, SandboxState['contacts'][number][]> {
  const byUser = new Map<string, SandboxState['contacts'][number][]>();
  for (const contact of state.contacts) {
    const key = contact.external_id ?? `email:${contact.email ?? ''}`;
    byUser.set(key, [...(byUser.get(key) ?? []), contact]);
  }
  return byUser;
}

/** Lost tracks and order violations of one user, given the steps Intercom received in order. */
function checkUser(
  user: ChaosUser,
  steps: readonly number[],
  contacts: readonly SandboxState['contacts'][number][],
  dead: ReadonlySet<string>,
): { lost: number; violations: number } {
  let lost = 0;
  let violations = 0;
  const received = new Set(steps);
  const sent = user.events as readonly { type: string; messageId: string }[];
  sent.forEach((event, k) => {
    if (event.type === 'track' && !received.has(k) && !dead.has(event.messageId)) lost += 1;
  });
  for (let i = 1; i < steps.length; i += 1) if (steps[i]! < steps[i - 1]!) violations += 1;
  const identifies = sent.map((e, k) => ({ e, k })).filter(({ e }) => e.type === 'identify');
  const lastIdentify = identifies.at(-1);
  if (contacts.length === 0) {
    if (identifies.every(({ e }) => !dead.has(e.messageId))) lost += identifies.length;
  } else if (lastIdentify !== undefined && !dead.has(lastIdentify.e.messageId)) {
    // The last identify's trait must be the one Intercom keeps: an earlier identify after it is a violation.
    const plan = contacts[0]?.custom_attributes['plan'];
    if (plan !== planAt(lastIdentify.k)) violations += 1;
  }
  return { lost, violations };
}

/** Compares Intercom's state and the dead letters with the users' events. */
export function checkRun(
  users: readonly ChaosUser[],
  state: SandboxState,
  deadLetters: readonly DeadLetter[],
): ChaosFindings {
  const dead = new Set(deadLetters.map((d) => d.messageId));
  const deadByReason: Record<string, number> = {};
  for (const letter of deadLetters) deadByReason[letter.reason] = (deadByReason[letter.reason] ?? 0) + 1;
  const byUser = contactsByUser(state);
  const keyOfContact = new Map(state.contacts.map((c) => [c.id, c.external_id ?? `email:${c.email ?? ''}`]));
  const steps = new Map<string, number[]>();
  for (const event of state.events) {
    const key = keyOfContact.get(event.contact_id) ?? '?';
    steps.set(key, [...(steps.get(key) ?? []), stepOf(event.event_name)]);
  }
  let lost = 0;
  let orderViolations = 0;
  for (const user of users) {
    const key = user.userId ?? `email:${user.email}`;
    const found = checkUser(user, steps.get(key) ?? [], byUser.get(key) ?? [], dead);
    lost += found.lost;
    orderViolations += found.violations;
  }
  const duplicatedContacts = [...byUser.values()].reduce((n, list) => n + list.length - 1, 0);
  return { lost, duplicatedContacts, orderViolations, deadByReason, tracksDelivered: state.events.length };
}
