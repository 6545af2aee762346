// A time limit on work we do not control (a health check, a queue count): a probe or a scrape must
// answer even when Redis or the disk does not.

/** The work outlived its time limit. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/**
 * `work`'s result, or a rejection with DeadlineExceededError after `ms`. A function that throws at
 * once rejects like one whose promise rejects. The work itself is not stopped (it may finish later,
 * unobserved); the timer never keeps the process alive.
 */
export async function within<T>(work: () => Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(work), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
