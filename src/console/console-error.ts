/** Base class of the console's failures (sign-in, sessions, OAuth, sealed tokens). */
export class ConsoleError extends Error {
  override readonly name: string = 'ConsoleError';
}

/** A sealed token could not be opened: another SECRET_KEY, or the stored text was altered. */
export class TokenSealError extends ConsoleError {
  override readonly name = 'TokenSealError';
}

/** A step of connecting Intercom with OAuth failed; `message` is safe to show (no token, no secret). */
export class OAuthFlowError extends ConsoleError {
  override readonly name: string = 'OAuthFlowError';
}
