/**
 * The calls the mobile plugin makes on Intercom's React Native SDK, as data: each one is a method name
 * of `@intercom/intercom-react-native` and its arguments, so the pure planner can be tested without a
 * device and the native call log of a test can be compared with it directly.
 */
import type { CustomAttributes } from '../mapping/attributes.js';
import type { MetadataResult } from '../mapping/metadata.js';

/** A custom attribute value the SDK accepts: a string, number or boolean; `null` clears (C-ID-4). */
export type MobileAttributeValue = CustomAttributes['attributes'][string];

/** A company in the SDK's shape (`Company` of `@intercom/intercom-react-native`), M-7. */
export type MobileCompany = {
  id: string;
  name?: string;
  plan?: string;
  monthlySpend?: number;
  /** Unix seconds. */
  createdAt?: number;
  customAttributes?: Record<string, MobileAttributeValue>;
};

/** User attributes in the SDK's shape (`UserAttributes`), M-3 and M-4. */
export type MobileUserAttributes = {
  userId?: string;
  email?: string;
  name?: string;
  phone?: string;
  /** Unix seconds. */
  signedUpAt?: number;
  unsubscribedFromEmails?: boolean;
  companies?: MobileCompany[];
  customAttributes?: Record<string, MobileAttributeValue>;
};

/** Event metadata for `logEvent` (C-TR-2..5), M-8. */
export type MobileMetadata = MetadataResult['metadata'];

/** The SDK's launcher visibility values (its `Visibility` enum), M-11. */
export type LauncherVisibility = 'GONE' | 'VISIBLE';

/** One SDK call: the method of `@intercom/intercom-react-native`, then its arguments. */
export type SdkCall =
  | readonly ['setUserHash', string]
  | readonly ['setUserJwt', string]
  | readonly ['loginUserWithUserAttributes', MobileUserAttributes]
  | readonly ['loginUnidentifiedUser']
  | readonly ['updateUser', MobileUserAttributes]
  | readonly ['logEvent', string, MobileMetadata]
  | readonly ['setLauncherVisibility', LauncherVisibility]
  | readonly ['logout'];
