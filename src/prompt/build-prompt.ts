// Builds both prompts for one target within a token budget: demonstrations best first and whole,
// the file context cut from the end first, the target function never cut.
import { blockCuts, contextLines, lineCuts, trimContext } from './context.js';
import { fitDemonstrations, estimateChatTokens, estimateTokens, largestFitting, resolveBudget } from './budget.js';
import { chatMessages } from './chat-prompt.js';
import { completionPrompt } from './completion-prompt.js';
import type { BuiltPrompt, PromptBudget, PromptDemonstration, PromptInput } from './types.js';

/**
 * Both prompts for `input`. The budget applies to whichever prompt is larger (the chat one, in
 * practice). When even the function and the instructions exceed it, the prompt is still built,
 * with no demonstration and no context, and `estimatedTokens > maxTokens` tells the caller.
 */
export function buildPrompt(input: PromptInput, budget: PromptBudget = {}): BuiltPrompt {
  const { maxTokens, maxDemonstrations } = resolveBudget(budget);
  const lines = contextLines(input.fileContext);

  const render = (demonstrations: readonly PromptDemonstration[], keep: number) => {
    const fileContext = trimContext(lines, keep, input.language);
    const messages = chatMessages(input, demonstrations, fileContext);
    const completion = completionPrompt(input, demonstrations, fileContext);
    return { messages, completion, chatTokens: estimateChatTokens(messages), completionTokens: estimateTokens(completion) };
  };
  const fits = (demonstrations: readonly PromptDemonstration[], keep: number) => {
    const prompt = render(demonstrations, keep);
    return Math.max(prompt.chatTokens, prompt.completionTokens) <= maxTokens;
  };

  // A demonstration counts as fitting if it fits with the context cut to nothing: context goes first.
  const demonstrations = fitDemonstrations(input.demonstrations, maxDemonstrations, (chosen) => fits(chosen, 0));
  const keep = contextToKeep(lines, (k) => fits(demonstrations, k));
  const prompt = render(demonstrations, keep);
  return {
    messages: prompt.messages,
    completion: prompt.completion,
    demonstrationIds: demonstrations.map((demonstration) => demonstration.id),
    estimatedTokens: prompt.chatTokens,
    contextTrimmed: keep < lines.length,
  };
}

/**
 * Lines of context to keep. A cut at a block boundary is preferred, unless it would keep less
 * than half of what a plain line cut keeps (a long run of imports has no boundaries at all).
 */
function contextToKeep(lines: readonly string[], fits: (keep: number) => boolean): number {
  const atBlock = largestFitting(blockCuts(lines), fits);
  if (atBlock === lines.length) return atBlock;
  const atLine = largestFitting(lineCuts(lines), fits);
  return atBlock * 2 >= atLine ? atBlock : atLine;
}
