/** Base class of the sandbox's own failures (not Intercom answers, which are values: see api-result.ts). */
export class SandboxError extends Error {
  override readonly name: string = 'SandboxError';
}

/** The OpenAPI description could not be prepared for validation. */
export class OpenApiDocumentError extends SandboxError {
  override readonly name = 'OpenApiDocumentError';
}

/** Sandbox options are out of range (a negative limit, a rate outside 0..1). */
export class SandboxConfigError extends SandboxError {
  override readonly name = 'SandboxConfigError';
}

/** A request body that claims to be JSON and is not (answered 400 like Intercom). */
export class InvalidJsonBodyError extends SandboxError {
  override readonly name = 'InvalidJsonBodyError';
}
