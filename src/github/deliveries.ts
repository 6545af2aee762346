// The `X-GitHub-Delivery` ids handled lately, so a redelivered webhook (GitHub retries, or someone
// presses "Redeliver") does not run the review again. In memory and bounded: after a restart a
// redelivery runs again, and the fingerprints of what was posted keep it from posting twice.

/** Default number of delivery ids remembered. */
export const DEFAULT_DELIVERY_MEMORY = 1000;

export class RecentDeliveries {
  readonly #ids = new Set<string>();

  /** @param limit How many ids are remembered; the oldest is forgotten first. Default 1000. */
  constructor(private readonly limit = DEFAULT_DELIVERY_MEMORY) {}

  /** True the first time an id is seen (and remembers it); false for a redelivery. */
  claim(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    while (this.#ids.size > this.limit) {
      const oldest = this.#ids.values().next();
      if (oldest.done) break;
      this.#ids.delete(oldest.value);
    }
    return true;
  }

  /** Forgets an id whose handling failed, so redelivering it tries again. */
  release(id: string): void {
    this.#ids.delete(id);
  }

  get size(): number {
    return this.#ids.size;
  }
}
