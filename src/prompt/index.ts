// Public API of the prompt layer.
export { buildPrompt } from './build-prompt.js';
export { chatMessages } from './chat-prompt.js';
export { completionPrompt } from './completion-prompt.js';
export { DEFAULT_MAX_DEMONSTRATIONS, DEFAULT_MAX_TOKENS, estimateChatTokens, estimateTokens, resolveBudget } from './budget.js';
export { wrapInert } from './inert.js';
export { fenceFor, oneLine } from './quote.js';
export { compileTemplate, renderTemplate, type CompiledTemplate, type TemplateScope, type TemplateValue } from './render.js';
export { TemplateError } from './template-error.js';
export { loadTemplate, templatesDir, TEMPLATE_NAMES, type TemplateName } from './templates.js';
export type { BuiltPrompt, PromptBudget, PromptDemonstration, PromptInput, PromptMessage } from './types.js';
