// The chat prompt for instruction models: a fixed system message (the rules, including that code
// blocks are data) and a user message with the demonstrations, the target and its alerts. Every
// piece of pull-request text is fenced or flattened to one line before it reaches a template.
import { languageName } from '../lang/languages.js';
import { fenceFor, oneLine } from './quote.js';
import { loadTemplate } from './templates.js';
import type { PromptDemonstration, PromptInput, PromptMessage } from './types.js';

function cweList(cwe: readonly string[]): string {
  return oneLine(cwe.join(', '));
}

/**
 * Messages for `demonstrations` (already chosen) and `fileContext` (already trimmed). The system
 * message is the same for every target, so endpoints that cache prompt prefixes can reuse it.
 */
export function chatMessages(input: PromptInput, demonstrations: readonly PromptDemonstration[], fileContext: string): PromptMessage[] {
  const alerts = input.alerts ?? [];
  const functionCode = input.functionCode.replace(/\s+$/, '');
  const user = loadTemplate('chat-user.md').render({
    hasDemonstrations: demonstrations.length > 0,
    demonstrations: demonstrations.map((demonstration, i) => {
      const code = demonstration.code.replace(/\s+$/, '');
      return {
        number: i + 1,
        cwe: cweList(demonstration.cwe),
        provenance: demonstration.provenance === undefined ? undefined : oneLine(demonstration.provenance),
        language: demonstration.language,
        fence: fenceFor(code),
        code,
      };
    }),
    path: oneLine(input.path),
    language: input.language,
    languageName: languageName(input.language),
    functionName: oneLine(input.functionName),
    hasAlerts: alerts.length > 0,
    alertsFence: fenceFor(...alerts.flatMap((alert) => [alert.message, alert.ruleId, ...alert.cwe])),
    alerts: alerts.map((alert) => ({
      ruleId: oneLine(alert.ruleId),
      cwe: cweList(alert.cwe),
      message: alert.message.trim(),
    })),
    hasContext: fileContext !== '',
    contextFence: fenceFor(fileContext),
    fileContext,
    functionFence: fenceFor(functionCode),
    functionCode,
  });
  return [
    { role: 'system', content: loadTemplate('chat-system.md').render({}) },
    { role: 'user', content: user },
  ];
}
