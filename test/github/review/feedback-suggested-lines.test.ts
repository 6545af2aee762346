// How "the suggested lines are in the code" is decided, and which commits are GitHub's
// apply-suggestion commits for the app (message formats as GitHub writes them).
import { describe, expect, it } from 'vitest';
import { isApplySuggestionMessage } from '../../../src/github/review/feedback-apply-commits.js';
import { containsLines, evidenceLines, patchNewSides, suggestionBlockLines } from '../../../src/github/review/feedback-suggested-lines.js';
import { postedComment, SQL_FIXED_LINE, suggestionFor } from './feedback-fixtures.js';

describe('suggestionBlockLines', () => {
  it('reads the block of a comment the review posts', () => {
    expect(suggestionBlockLines(postedComment(suggestionFor('user_by_email')).body)).toEqual([SQL_FIXED_LINE]);
  });

  it('matches the fence exactly: a longer fence holds a shorter one; no block, or an unclosed one, is undefined', () => {
    expect(suggestionBlockLines('text\n````suggestion\n```\ncode\n````\nafter')).toEqual(['```', 'code']);
    expect(suggestionBlockLines('```suggestion\r\n  x = 1\r\n```')).toEqual(['  x = 1']);
    expect(suggestionBlockLines('```python\nx = 1\n```')).toBeUndefined();
    expect(suggestionBlockLines('```suggestion\nx = 1')).toBeUndefined();
  });
});

describe('evidenceLines', () => {
  it('drops trailing whitespace and blank lines at either end; keeps inner blank lines', () => {
    expect(evidenceLines(['', '  x = 1  ', '', '  y = 2\t', '  '])).toEqual(['  x = 1', '', '  y = 2']);
  });

  it('an empty block (a deletion) or lines without a letter or digit prove nothing', () => {
    expect(evidenceLines([])).toBeUndefined();
    expect(evidenceLines(['    }', '  );'])).toBeUndefined();
  });
});

describe('containsLines', () => {
  const file = 'def f():\n    a = 1   \n    b = 2\n    return a\n';

  it('finds the lines contiguous, whatever trailing whitespace or line ends the file has', () => {
    expect(containsLines(file, ['    a = 1', '    b = 2'])).toBe(true);
    expect(containsLines(file.replace(/\n/g, '\r\n'), ['    b = 2', '    return a'])).toBe(true);
  });

  it('not when they are apart, re-indented, or empty', () => {
    expect(containsLines(file, ['    a = 1', '    return a'])).toBe(false);
    expect(containsLines(file, ['a = 1'])).toBe(false);
    expect(containsLines(file, [])).toBe(false);
  });
});

describe('patchNewSides', () => {
  it("each hunk's context and added lines, without the removed ones", () => {
    const patch = '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,2 +10,3 @@ def g():\n x\n+y\n z\n\\ No newline at end of file';
    expect(patchNewSides(patch)).toEqual(['a\nB\nc', 'x\ny\nz']);
  });
});

describe('isApplySuggestionMessage', () => {
  const bot = 'seccoder[bot]';

  it("GitHub's single form names the suggester", () => {
    expect(isApplySuggestionMessage('Apply suggestion from @seccoder[bot]', bot)).toBe(true);
    expect(
      isApplySuggestionMessage('Apply suggestion from @SecCoder[bot]\n\nCo-authored-by: seccoder[bot] <1+seccoder[bot]@users.noreply.github.com>', bot),
    ).toBe(true);
    expect(isApplySuggestionMessage('Apply suggestion from @coderabbitai[bot]', bot)).toBe(false);
  });

  it('the batch form counts only with a Co-authored-by trailer naming the app', () => {
    expect(
      isApplySuggestionMessage(
        'Apply suggestions from code review\n\nCo-authored-by: Peter <34331512+pmaytak@users.noreply.github.com>\nCo-authored-by: seccoder[bot] <41898282+seccoder[bot]@users.noreply.github.com>',
        bot,
      ),
    ).toBe(true);
    expect(isApplySuggestionMessage('Apply suggestions from code review\n\nCo-authored-by: Peter <34331512+pmaytak@users.noreply.github.com>', bot)).toBe(
      false,
    );
    expect(isApplySuggestionMessage('Apply suggestions from code review', bot)).toBe(false);
  });

  it('other messages do not count', () => {
    expect(isApplySuggestionMessage('Update app/views.py', bot)).toBe(false);
    expect(isApplySuggestionMessage('Fix: Apply suggestion from @seccoder[bot]', bot)).toBe(false);
  });
});
