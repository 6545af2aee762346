// Getting the rewritten function out of what a model said. Chat replies must carry it in a fenced
// block; a completion continues the prompt's signature, so the function is the signature plus the
// completion up to where that function ends.
import type { Language } from '../lang/languages.js';
import { extractSnippetFunctions } from '../detect/functions.js';

const FENCE = /(^|\n)(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\2[ \t]*(?=\n|$)/g;

/** The fenced code blocks of a reply, in order. */
export function fencedBlocks(reply: string): string[] {
  return [...reply.replace(/\r\n?/g, '\n').matchAll(FENCE)].map((match) => match[3] ?? '');
}

/**
 * The one block that defines `functionName` (a usage example beside it does not count), else
 * undefined. A reply with several blocks defining it is ambiguous and rejected, not guessed at.
 */
export async function codeFromChatReply(reply: string, functionName: string, language: Language, path?: string): Promise<string | undefined> {
  const blocks = fencedBlocks(reply);
  const defines = await Promise.all(blocks.map(async (block) => (await extractSnippetFunctions(block, language, path)).some((fn) => fn.name === functionName)));
  const defining = blocks.filter((_, index) => defines[index]);
  if (defining.length === 1) return defining[0];
  if (defining.length === 0 && blocks.length === 1) return blocks[0];
  return undefined;
}

/** The function a completion model wrote after `signature`, cut where that function ends. */
export async function codeFromCompletion(
  signature: string,
  completion: string,
  functionName: string,
  language: Language,
  path?: string,
): Promise<string | undefined> {
  const text = `${signature}${completion}`;
  const functions = await extractSnippetFunctions(text, language, path);
  const written = functions.find((fn) => fn.name === functionName && fn.startLine === 1);
  return written?.code;
}
