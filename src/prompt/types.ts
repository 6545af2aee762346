// What a prompt is built from, and what building one gives back.
import type { Language } from '../lang/languages.js';

/** A secure demonstration as the prompt shows it. */
export interface PromptDemonstration {
  id: string;
  language: Language;
  code: string;
  cwe: string[];
  /** Where it came from (fixing commit URL or repo/path), cited in chat prompts. */
  provenance?: string;
}

export interface PromptInput {
  language: Language;
  path: string;
  /** The function under review, as it is in the file. */
  functionCode: string;
  functionName: string;
  /** Source up to where the body starts (decorators, signature): completion prompts end with it. */
  signature: string;
  /** Imports/includes and other file context; trimmed first when the budget is tight. */
  fileContext: string;
  /** Demonstrations best first; as many as fit the budget are used, never a truncated one. */
  demonstrations: PromptDemonstration[];
  /** Alert messages and CWEs, when the target came from code scanning. */
  alerts?: { message: string; cwe: string[]; ruleId: string }[];
}

export interface PromptBudget {
  /** Maximum prompt tokens (default 6000). */
  maxTokens?: number;
  /** Maximum demonstrations (default 1). */
  maxDemonstrations?: number;
}

export interface BuiltPrompt {
  /** Chat-style messages (instruction models). */
  messages: PromptMessage[];
  /** Completion-style text (the paper's integration template). */
  completion: string;
  /** Ids of the demonstrations that fit. */
  demonstrationIds: string[];
  /** Estimated tokens of the chat prompt. */
  estimatedTokens: number;
  /** True when file context was shortened to fit. */
  contextTrimmed: boolean;
}

/**
 * One message of a chat prompt. The prompt does not know the model client: this has the shape of
 * the OpenAI-compatible chat message, so the pipeline hands it to any `CodeModel` as it is.
 */
export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
