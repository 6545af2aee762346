// Asserts an error leaks no secret anywhere a log could reach: message, stack, own fields, cause.

import { inspect } from 'node:util';
import { expect } from 'vitest';

export function expectNoSecret(error: unknown, secret: string): void {
  expect(error).toBeInstanceOf(Error);
  const err = error as Error;
  expect(err.message).not.toContain(secret);
  expect(String(err.stack)).not.toContain(secret);
  expect(JSON.stringify({ ...err })).not.toContain(secret);
  expect(inspect(err, { depth: 5 })).not.toContain(secret);
}

/** Runs `action`, expects it to throw, and returns what it threw. */
export async function caught(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
