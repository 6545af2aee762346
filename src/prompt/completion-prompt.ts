// The completion prompt, the paper's integration template: the inert demonstrations, then the
// file context, then the target's signature, so a completion model writes the body.
import { wrapInert } from './inert.js';
import { loadTemplate } from './templates.js';
import type { PromptDemonstration, PromptInput } from './types.js';

/**
 * Ends exactly with `input.signature`. Demonstrations are wrapped in the *target's* language
 * (a C demonstration shown for C++, a JavaScript one for TypeScript), because what must stay inert
 * is the text inside the file being completed.
 */
export function completionPrompt(input: PromptInput, demonstrations: readonly PromptDemonstration[], fileContext: string): string {
  return loadTemplate('completion.txt').render({
    demonstrations: demonstrations.map((demonstration) => ({ inert: wrapInert(demonstration.code, input.language) })),
    hasContext: fileContext !== '',
    fileContext,
    signature: input.signature,
  });
}
