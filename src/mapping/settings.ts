/** The destination settings that change how events map to Intercom operations (docs/behavior.md, "Settings"). */
export interface MappingSettings {
  /** C-ID-12: copy device/os/app context into custom attributes. */
  readonly collectContext: boolean;
  /** C-TR-5 / D-8: property names whose `{url, value}` objects pass through to metadata. */
  readonly richLinkProperties: readonly string[];
  /** C-TR-4: Intercom keeps only the first N metadata keys. */
  readonly maxEventMetadataKeys: number;
  /** When on, the plan carries attribute types so missing attributes can be created. */
  readonly createMissingAttributes: boolean;
  /** C-IDN-5: what a contact named by email only is: a `user` (Segment's behaviour) or a `lead`. */
  readonly contactRoleWithoutUserId: 'user' | 'lead';
}

/** Defaults from the settings table of docs/behavior.md. */
export const DEFAULT_MAPPING_SETTINGS: MappingSettings = {
  collectContext: false,
  richLinkProperties: [],
  maxEventMetadataKeys: 10,
  createMissingAttributes: true,
  contactRoleWithoutUserId: 'user',
};
