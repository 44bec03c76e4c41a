/**
 * The pure heart of mobile device mode: one Segment event plus what Intercom's SDK has been told so
 * far gives the SDK calls to make and the new state (M-3 … M-12). No device, no clock.
 */
import type { GroupEvent, IdentifyEvent, SegmentEvent, TrackEvent } from '../segment/event.js';
import { buildMetadata } from '../mapping/metadata.js';
import { intercomOption } from '../mapping/intercom-option.js';
import { stableJson } from '../mapping/stable-json.js';
import type { MobileConfig } from './plugin-options.js';
import type { LauncherVisibility, SdkCall } from './sdk-call.js';
import { identifyUser, userAttributes, type MobileUser } from './user-attributes.js';
import { toMobileCompany } from './mobile-company.js';

/** Who Intercom's SDK holds as logged in. */
export type IntercomSession =
  | { readonly kind: 'none' }
  | { readonly kind: 'unidentified' }
  | { readonly kind: 'identified'; readonly user: MobileUser };

/** What the SDK has been told since the session began. */
export interface MobileState {
  readonly session: IntercomSession;
  /** M-10: the last identify update sent in this session, as canonical JSON. */
  readonly lastUserUpdate?: string;
  /** M-10: per company id, the last group update sent in this session, as canonical JSON. */
  readonly lastCompanyUpdates: Readonly<Record<string, string>>;
  /** M-11: the launcher visibility set last. */
  readonly launcher?: LauncherVisibility;
  /** M-5: the JWT set for the logged-in user. */
  readonly userJwt?: string;
}

/** The calls one event causes and the state after them. */
export interface MobileStep {
  readonly calls: readonly SdkCall[];
  readonly state: MobileState;
}

/** A state where nothing has been told to the SDK in `session`. */
function freshState(session: IntercomSession): MobileState {
  return { session, lastCompanyUpdates: {} };
}

/** M-12: nobody logged in: register an unidentified user when the app opted in, else stay logged out. */
function loggedOut(config: MobileConfig): MobileStep {
  return config.registerUnidentifiedUsers
    ? { calls: [['loginUnidentifiedUser']], state: freshState({ kind: 'unidentified' }) }
    : { calls: [], state: freshState({ kind: 'none' }) };
}

/** M-2: the session the SDK reports at start (`isUserLoggedIn`, `fetchLoggedInUserAttributes`). */
export function sessionFromSdk(loggedIn: boolean, attributes: unknown): IntercomSession {
  if (!loggedIn) return { kind: 'none' };
  const found = (typeof attributes === 'object' && attributes !== null ? attributes : {}) as Record<
    string,
    unknown
  >;
  const userId = typeof found['userId'] === 'string' && found['userId'] !== '' ? found['userId'] : undefined;
  const email = typeof found['email'] === 'string' && found['email'] !== '' ? found['email'] : undefined;
  if (userId === undefined && email === undefined) return { kind: 'unidentified' };
  return {
    kind: 'identified',
    user: { ...(userId !== undefined && { userId }), ...(email !== undefined && { email }) },
  };
}

/** M-2, M-12: the first step, from the session the SDK reports. */
export function planStart(session: IntercomSession, config: MobileConfig): MobileStep {
  return session.kind === 'none' ? loggedOut(config) : { calls: [], state: freshState(session) };
}

/** M-6, M-12: `analytics.reset()` logs out, so the next person starts clean. */
export function planReset(config: MobileConfig): MobileStep {
  const next = loggedOut(config);
  return { calls: [['logout'], ...next.calls], state: next.state };
}

/** M-6: a different person, judged by userId when both have one, else by email. */
function isOtherUser(previous: MobileUser, next: MobileUser): boolean {
  if (previous.userId !== undefined && next.userId !== undefined) return previous.userId !== next.userId;
  return previous.email !== undefined && next.email !== undefined && previous.email !== next.email;
}

/** M-11: `setLauncherVisibility` when the event asks for a visibility other than the one set last. */
function withLauncher(event: SegmentEvent, step: MobileStep): MobileStep {
  const hide = intercomOption(event, ['hideDefaultLauncher']);
  if (typeof hide !== 'boolean') return step;
  const visibility: LauncherVisibility = hide ? 'GONE' : 'VISIBLE';
  if (step.state.launcher === visibility) return step;
  return {
    calls: [...step.calls, ['setLauncherVisibility', visibility]],
    state: { ...step.state, launcher: visibility },
  };
}

/** M-5: identity verification, `user_hash` (HMAC) or `intercomUserJwt` (JWT). */
function verification(event: SegmentEvent): { hash?: string; jwt?: string } {
  const hash = intercomOption(event, ['user_hash', 'userHash']);
  const jwt = intercomOption(event, ['intercomUserJwt']);
  return { ...(typeof hash === 'string' && { hash }), ...(typeof jwt === 'string' && { jwt }) };
}

/** M-3, M-5, M-6, M-12: the calls that leave `user` logged in, the state after them, and whether it was them already. */
function logIn(
  event: IdentifyEvent,
  user: MobileUser,
  state: MobileState,
): { readonly step: MobileStep; readonly sameUser: boolean } {
  const { hash, jwt } = verification(event);
  const userJwt = jwt === undefined ? {} : { userJwt: jwt };
  const current = state.session.kind === 'identified' ? state.session.user : undefined;
  if (current !== undefined && !isOtherUser(current, user)) {
    // Keep what was learnt earlier (an email, a userId); a new JWT replaces one that may have expired.
    const calls: SdkCall[] = jwt !== undefined && jwt !== state.userJwt ? [['setUserJwt', jwt]] : [];
    const session: IntercomSession = { kind: 'identified', user: { ...current, ...user } };
    return { step: { calls, state: { ...state, session, ...userJwt } }, sameUser: true };
  }
  const calls: SdkCall[] = current === undefined ? [] : [['logout']];
  // Identity verification must reach the SDK before the login it is for.
  if (hash !== undefined) calls.push(['setUserHash', hash]);
  if (jwt !== undefined) calls.push(['setUserJwt', jwt]);
  calls.push([
    'loginUserWithUserAttributes',
    user.userId !== undefined
      ? { userId: user.userId }
      : { ...(user.email !== undefined && { email: user.email }) },
  ]);
  // A logout resets the launcher to Intercom's default; an unidentified user is merged, not logged out.
  const launcher = current === undefined && state.launcher !== undefined ? { launcher: state.launcher } : {};
  const next = { ...freshState({ kind: 'identified', user }), ...launcher, ...userJwt };
  return { step: { calls, state: next }, sameUser: false };
}

/** M-3, M-4, M-10: identify logs the user in once, then updates their attributes unless nothing changed. */
function planIdentify(event: IdentifyEvent, state: MobileState): MobileStep {
  const user = identifyUser(event);
  if (user === undefined) return withLauncher(event, { calls: [], state });
  const { step: login, sameUser } = logIn(event, user, state);
  const attributes = userAttributes(event, user);
  const before = state.session.kind === 'identified' ? state.session.user : undefined;
  // Logged in earlier by email only: the userId this identify brings is stored with the update.
  if (sameUser && before?.userId === undefined && user.userId !== undefined) attributes.userId = user.userId;
  const key = stableJson(attributes);
  if (Object.keys(attributes).length === 0 || key === login.state.lastUserUpdate)
    return withLauncher(event, login);
  return withLauncher(event, {
    calls: [...login.calls, ['updateUser', attributes]],
    state: { ...login.state, lastUserUpdate: key },
  });
}

/** M-7, M-10: group adds the company (`id` ← groupId) to the logged-in user's companies. */
function planGroup(event: GroupEvent, state: MobileState): MobileStep {
  const company =
    state.session.kind === 'none' ? undefined : toMobileCompany(event.traits ?? {}, 'traits', event.groupId);
  if (company === undefined) return withLauncher(event, { calls: [], state });
  const key = stableJson(company);
  if (state.lastCompanyUpdates[company.id] === key) return withLauncher(event, { calls: [], state });
  return withLauncher(event, {
    calls: [['updateUser', { companies: [company] }]],
    state: { ...state, lastCompanyUpdates: { ...state.lastCompanyUpdates, [company.id]: key } },
  });
}

/** M-8: track logs the event with C-TR-2..5 metadata for the logged-in (or unidentified) user. */
function planTrack(event: TrackEvent, state: MobileState, config: MobileConfig): MobileStep {
  if (state.session.kind === 'none' || event.event.trim() === '') return { calls: [], state };
  const { metadata } = buildMetadata(event.properties ?? {}, {
    richLinkProperties: config.richLinkProperties,
    maxKeys: config.maxEventMetadataKeys,
  });
  return { calls: [['logEvent', event.event, metadata]], state };
}

/** The SDK calls for one event, and the state after them. */
export function planSdkCalls(event: SegmentEvent, state: MobileState, config: MobileConfig): MobileStep {
  // M-1: Segment's timeline already drops these for a plugin keyed `Intercom`; the planner agrees.
  if (event.integrations?.['Intercom'] === false) return { calls: [], state };
  switch (event.type) {
    case 'identify':
      return planIdentify(event, state);
    case 'group':
      return planGroup(event, state);
    case 'track':
      return planTrack(event, state, config);
    case 'screen':
    case 'page':
    case 'alias':
      // M-9: the docs: page and screen have no effect on Intercom from mobile; the SDK has no alias.
      return { calls: [], state };
  }
}
