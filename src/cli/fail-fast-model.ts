// A model client that stops asking once the endpoint is known to be unusable for this run: after
// it could not be reached, or answered 401, 403 or 404, every later call fails at once with the
// same error instead of retrying it again for each target.
import { isFatalModelError } from '../model/errors.js';
import type { ChatMessage, CodeModel, GenerationOptions } from '../model/types.js';

export function failFast(model: CodeModel): CodeModel {
  let fatal: unknown;
  const guarded = async (call: () => Promise<string[]>): Promise<string[]> => {
    if (fatal !== undefined) throw fatal;
    try {
      return await call();
    } catch (error) {
      if (isFatalModelError(error)) fatal = error;
      throw error;
    }
  };
  return {
    name: model.name,
    chat: (messages: ChatMessage[], options?: GenerationOptions) => guarded(() => model.chat(messages, options)),
    complete: (prompt: string, options?: GenerationOptions) => guarded(() => model.complete(prompt, options)),
  };
}
