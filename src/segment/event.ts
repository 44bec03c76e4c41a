import type { JsonObject } from './json.js';

/** Segment's event types (the `type` field of the Segment spec). */
export type SegmentEventType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';

/** Fields every Segment event carries once parsed and normalised by ingestion. */
export interface SegmentCommon {
  readonly messageId: string;
  readonly userId?: string;
  readonly anonymousId?: string;
  /** ISO-8601; after ingestion always present and corrected per I-6. */
  readonly timestamp: string;
  readonly receivedAt?: string;
  readonly sentAt?: string;
  readonly originalTimestamp?: string;
  readonly context?: JsonObject;
  /** Per-destination options, e.g. `{All: false, Intercom: {...}}`. */
  readonly integrations?: JsonObject;
}

/** `identify`: who the user is. */
export interface IdentifyEvent extends SegmentCommon {
  readonly type: 'identify';
  readonly traits?: JsonObject;
}

/** `track`: what the user did. */
export interface TrackEvent extends SegmentCommon {
  readonly type: 'track';
  readonly event: string;
  readonly properties?: JsonObject;
}

/** `page`: a web page view. */
export interface PageEvent extends SegmentCommon {
  readonly type: 'page';
  readonly name?: string;
  readonly category?: string;
  readonly properties?: JsonObject;
}

/** `screen`: a mobile screen view. */
export interface ScreenEvent extends SegmentCommon {
  readonly type: 'screen';
  readonly name?: string;
  readonly category?: string;
  readonly properties?: JsonObject;
}

/** `group`: the account/company the user belongs to. */
export interface GroupEvent extends SegmentCommon {
  readonly type: 'group';
  readonly groupId: string;
  readonly traits?: JsonObject;
}

/** `alias`: merges two identities. */
export interface AliasEvent extends SegmentCommon {
  readonly type: 'alias';
  readonly previousId: string;
}

/** Any parsed Segment event; discriminated on Segment's own `type`. */
export type SegmentEvent = IdentifyEvent | TrackEvent | PageEvent | ScreenEvent | GroupEvent | AliasEvent;
