// The languages SecCoder understands, how files map to them, and which ones share demonstrations.
import { extname } from 'node:path';
import { SecCoderError } from '../errors/seccoder-error.js';

export const LANGUAGES = ['python', 'c', 'cpp', 'javascript', 'typescript', 'go', 'java', 'ruby'] as const;
export type Language = (typeof LANGUAGES)[number];

/** File extension (lower-case, with dot) → language. `.h` is read as C. */
const EXTENSIONS: Record<string, Language> = {
  '.py': 'python',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.go': 'go',
  '.java': 'java',
  '.rb': 'ruby',
};

/** Names users type for a language (`--language py`), lower-case. */
const ALIASES: Record<string, Language> = {
  py: 'python',
  python3: 'python',
  'c++': 'cpp',
  cxx: 'cpp',
  js: 'javascript',
  jsx: 'javascript',
  node: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  golang: 'go',
  rb: 'ruby',
};

export class UnknownLanguageError extends SecCoderError {
  override name = 'UnknownLanguageError';
  constructor(
    readonly input: string,
    /** Why it is not a language, e.g. "not a supported language name". */
    readonly reason: string,
  ) {
    // The message says the hint too: a rejected corpus entry or batch query shows only the message.
    super(`unknown language ${JSON.stringify(input)}: ${reason}. ${knownLanguages()}`, { hint: knownLanguages() });
  }
}

function knownLanguages(): string {
  return `Known: ${LANGUAGES.join(', ')}`;
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** Parses a user-given language name or alias; throws UnknownLanguageError naming the input. */
export function parseLanguage(name: string): Language {
  const key = name.trim().toLowerCase();
  if (isLanguage(key)) return key;
  const alias = ALIASES[key];
  if (alias) return alias;
  throw new UnknownLanguageError(name, 'not a supported language name');
}

/** The language of a file from its extension, or undefined when the extension is not known. */
export function languageFromPath(path: string): Language | undefined {
  const ext = extname(path);
  // `.C` (capital) is C++ by convention; everything else is case-insensitive.
  if (ext === '.C') return 'cpp';
  return EXTENSIONS[ext.toLowerCase()];
}

/** True when a TypeScript or JavaScript path needs the JSX-aware grammar. */
export function isJsxPath(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === '.tsx' || ext === '.jsx';
}

/**
 * Languages close enough that a demonstration in one teaches the other (C and C++ share their
 * memory-safety weaknesses; TypeScript is JavaScript with types).
 */
export type LanguageFamily = 'python' | 'c-family' | 'js-family' | 'go' | 'java' | 'ruby';

export function languageFamily(language: Language): LanguageFamily {
  switch (language) {
    case 'c':
    case 'cpp':
      return 'c-family';
    case 'javascript':
    case 'typescript':
      return 'js-family';
    default:
      return language;
  }
}

const LANGUAGE_NAMES: Record<Language, string> = {
  python: 'Python',
  c: 'C',
  cpp: 'C++',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  go: 'Go',
  java: 'Java',
  ruby: 'Ruby',
};

/** How people write the language's name: "Python", "C++", "JavaScript". */
export function languageName(language: Language): string {
  return LANGUAGE_NAMES[language];
}
