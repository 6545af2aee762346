// The code model with each call timed and each failure counted, for /metrics. The pipeline gets it
// in place of the model and sees no difference: same name and concurrency, same answers, the same errors.
import type { CodeModel } from '../../model/types.js';
import type { AppMetrics } from './metrics.js';

export function meteredModel(model: CodeModel, metrics: Pick<AppMetrics, 'modelRequest'>): CodeModel {
  async function timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await call();
      metrics.modelRequest(seconds(), true);
      return result;
    } catch (error) {
      metrics.modelRequest(seconds(), false);
      throw error;
    }
  }
  return {
    name: model.name,
    // Callers size their parallelism to it: dropping it would make them send one request at a time.
    ...(model.concurrency !== undefined ? { concurrency: model.concurrency } : {}),
    chat: (messages, options) => timed(() => model.chat(messages, options)),
    complete: (prompt, options) => timed(() => model.complete(prompt, options)),
  };
}
