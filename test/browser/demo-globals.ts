/** The demo page's globals as the browser tests read them (the test tsconfig has no DOM types). */

/** One Messenger call as the stand-in widget records it. */
export interface RecordedCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** The demo page's globals, as the tests use them. */
export interface DemoGlobals {
  analytics: {
    page(name?: string, properties?: object, options?: object): Promise<unknown>;
    identify(userId: string, traits?: object, options?: object): Promise<unknown>;
    group(groupId: string, traits?: object): Promise<unknown>;
    track(event: string, properties?: object, options?: object): Promise<unknown>;
    reset(): void;
  };
  __intercomCalls?: RecordedCall[];
  Intercom?: { q?: unknown[][]; standIn?: boolean };
}
