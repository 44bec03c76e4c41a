import { fail } from 'node:assert/strict';
import type { IntercomError } from './errors.js';

/** The error a promise rejects with; the test fails when the promise resolves instead. */
export async function caught(promise: Promise<unknown>): Promise<IntercomError> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as IntercomError;
  }
  return fail('expected a rejection');
}
