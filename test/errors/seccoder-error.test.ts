import { describe, expect, it } from 'vitest';
import { bugReport, SecCoderError, userErrorLine } from '../../src/errors/seccoder-error.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { CorpusLockTimeoutError } from '../../src/corpus/errors.js';
import { UnknownLanguageError } from '../../src/lang/languages.js';
import { ModelHttpError } from '../../src/model/errors.js';

class DiskFullError extends SecCoderError {
  override name = 'DiskFullError';
  constructor(readonly path: string) {
    super(`no space left to write ${path}`, { hint: 'free some disk space and run it again' });
  }
}

describe('SecCoderError', () => {
  it('keeps the hint, the cause and its subclass name', () => {
    const cause = new Error('ENOSPC');
    const error = new SecCoderError('could not save the index', { hint: 'free some disk space', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('could not save the index');
    expect(error.hint).toBe('free some disk space');
    expect(error.cause).toBe(cause);
    expect(new DiskFullError('/tmp/x')).toMatchObject({ name: 'DiskFullError', path: '/tmp/x', hint: 'free some disk space and run it again' });
    expect(new SecCoderError('no hint').hint).toBeUndefined();
  });
});

describe('userErrorLine', () => {
  it('is the message and the hint in parentheses for a SecCoderError subclass', () => {
    expect(userErrorLine(new DiskFullError('/tmp/x'))).toBe('no space left to write /tmp/x (free some disk space and run it again)');
  });

  it('is the message alone when there is no hint', () => {
    expect(userErrorLine(new UsageError('-k must be a positive integer, got 0'))).toBe('-k must be a positive integer, got 0');
  });

  it('does not repeat a hint the message already says', () => {
    const http = new ModelHttpError('https://models.example/v1/chat/completions', 401, 1, 'check that MODEL_KEY holds a valid key', '');
    expect(http.hint).toBe('check that MODEL_KEY holds a valid key');
    expect(userErrorLine(http)).toBe('model endpoint https://models.example/v1/chat/completions answered HTTP 401: check that MODEL_KEY holds a valid key');
    const language = new UnknownLanguageError('cobol', 'not a supported language name');
    expect(language.hint).toMatch(/^Known: python, c, /);
    expect(userErrorLine(language)).toBe(language.message);
  });

  it('names the lock holder in the hint of a lock timeout', () => {
    const error = new CorpusLockTimeoutError('/c/corpus.lock', 100, 'process 42 on build-host');
    expect(userErrorLine(error)).toBe(
      'could not lock the corpus within 100 ms: /c/corpus.lock is held by another writer ' +
        '(process 42 on build-host holds it; a lock its holder stops refreshing is taken over after 10 s, so try again)',
    );
  });

  it('is undefined for a plain Error or a thrown non-error: those are bugs', () => {
    expect(userErrorLine(new Error('boom'))).toBeUndefined();
    expect(userErrorLine(new TypeError('x is undefined'))).toBeUndefined();
    expect(userErrorLine('a string')).toBeUndefined();
  });
});

describe('bugReport', () => {
  it('is the stack of an Error, and says what was thrown otherwise', () => {
    const error = new TypeError('x is undefined');
    expect(bugReport(error)).toBe(error.stack);
    expect(bugReport(error)).toMatch(/^TypeError: x is undefined\n\s+at /);
    expect(bugReport(42)).toBe('non-error thrown: 42');
  });
});
