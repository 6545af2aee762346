// The code model behind an interface: the pipeline asks for completions, never knows the vendor.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerationOptions {
  /** Number of samples (default from the model's config). */
  samples?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
}

export interface CodeModel {
  /** Model name as sent to the endpoint, for reports and citations. */
  readonly name: string;
  /** Requests the client sends at once (it queues the rest); callers size their own parallelism to it. Absent: 1. */
  readonly concurrency?: number;
  /** Chat-style generation (`/chat/completions`): one string per sample. */
  chat(messages: ChatMessage[], options?: GenerationOptions): Promise<string[]>;
  /** Completion-style generation (`/completions`), the paper's setting: one string per sample. */
  complete(prompt: string, options?: GenerationOptions): Promise<string[]>;
}
