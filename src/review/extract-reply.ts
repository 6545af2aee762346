// Getting the rewritten function out of what a model said. Chat replies must carry it in a fenced
// block; a completion continues the prompt's signature, so the function is the signature plus the
// completion up to where that function ends.
import type { Language } from '../lang/languages.js';
import { extractFunctions } from '../detect/functions.js';

const FENCE = /(^|\n)(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\2[ \t]*(?=\n|$)/g;

/** The fenced code blocks of a reply, in order. */
export function fencedBlocks(reply: string): string[] {
  return [...reply.replace(/\r\n?/g, '\n').matchAll(FENCE)].map((match) => match[3] ?? '');
}

/**
 * The one block that defines `functionName`, else undefined. A reply with several blocks defining
 * it is ambiguous and rejected rather than guessed at.
 */
export function codeFromChatReply(reply: string, functionName: string): string | undefined {
  const blocks = fencedBlocks(reply);
  const defining = blocks.filter((block) => new RegExp(`\\b${functionName.replace(/[$]/g, '\\$')}\\b`).test(block));
  if (defining.length === 1) return defining[0];
  if (defining.length === 0 && blocks.length === 1) return blocks[0];
  return undefined;
}

/** The function a completion model wrote after `signature`, cut where that function ends. */
export async function codeFromCompletion(signature: string, completion: string, functionName: string, language: Language, path?: string): Promise<string | undefined> {
  const text = `${signature}${completion}`;
  const functions = await extractFunctions(text, language, path);
  const written = functions.find((fn) => fn.name === functionName && fn.startLine === 1);
  return written?.code;
}
