// "Same weakness" on the real CWE data (cwe-sdk's ChildOf pairs and MITRE's mapping usage): a parent
// and its child are, unless the parent is a Pillar or a broad level-1 Class; siblings are not; a few
// tool-specific names are joined explicitly. And the analyzers still judge what they judged before.
import { describe, expect, it } from 'vitest';
import { BanditAnalyzer } from '../../src/analyze/bandit.js';
import { ClangAnalyzer } from '../../src/analyze/clang.js';
import { CppcheckAnalyzer } from '../../src/analyze/cppcheck.js';
import { GccAnalyzer } from '../../src/analyze/gcc.js';
import { isBroadCwe, mentionsWeakness, sameWeakness } from '../../src/cwe/same-weakness.js';

const pairs = (list: string) => list.split(' ').map((pair) => pair.split('/').map((n) => `CWE-${n}`) as [string, string]);

describe('sameWeakness', () => {
  it('joins a weakness and its parent, in either order', () => {
    // 121 (stack overflow) → 787 and 788 → 119; 120, 125 → 119; 77 ← 78; 94 ← 95; 89 ← 564;
    // 327 and 326 ← 328; 798 ← 259; 825 ← 416; 79 ← 80; 772 ← 401 and 775; 908 ← 457.
    const same = pairs('787/119 788/119 120/119 125/119 121/787 121/788 78/77 94/95 89/564 327/328 326/328 259/798 416/825 79/80 401/772 775/772 457/908');
    for (const [a, b] of same) {
      expect(sameWeakness(a, b), `${a} ~ ${b}`).toBe(true);
      expect(sameWeakness(b, a), `${b} ~ ${a}`).toBe(true);
    }
  });

  it('joins the names tools give that the hierarchy files as siblings: cppcheck 788 and 786, gcc 690', () => {
    for (const [a, b] of pairs('788/787 788/125 786/787 786/125 690/476')) {
      expect(sameWeakness(a, b), `${a} ~ ${b}`).toBe(true);
      expect(sameWeakness(b, a), `${b} ~ ${a}`).toBe(true);
    }
  });

  it('keeps siblings, cousins and weaknesses two steps apart distinct', () => {
    // SQL injection, XSS and OS command injection meet only at CWE-74; path traversal is elsewhere;
    // a write and a read past a buffer meet at CWE-119; 121 and 416 are both two steps below CWE-119.
    const distinct = pairs('89/79 78/89 22/78 787/476 416/476 416/415 787/125 120/787 121/119 416/119 401/775 327/326');
    for (const [a, b] of distinct) {
      expect(sameWeakness(a, b), `${a} !~ ${b}`).toBe(false);
      expect(sameWeakness(b, a), `${b} !~ ${a}`).toBe(false);
    }
  });

  it('stops at Pillars and at the broad classes right under them', () => {
    for (const id of ['CWE-20', 'CWE-74', 'CWE-330', 'CWE-665', 'CWE-664', 'CWE-693', 'CWE-707']) expect(isBroadCwe(id), id).toBe(true);
    for (const id of ['CWE-119', 'CWE-77', 'CWE-327', 'CWE-326', 'CWE-943', 'CWE-89']) expect(isBroadCwe(id), id).toBe(false);
    // Children of those broad CWEs are not the same weakness as them.
    for (const [a, b] of pairs('79/74 94/74 77/74 119/20 338/330 908/665 327/693 74/707 118/664')) expect(sameWeakness(a, b), `${a} !~ ${b}`).toBe(false);
  });

  it('normalizes spellings and knows nothing of what is no CWE', () => {
    expect(sameWeakness('cwe-089', '89')).toBe(true);
    expect(sameWeakness('CWE-564', 'cwe89')).toBe(true);
    expect(sameWeakness('security', 'security')).toBe(false);
    expect(mentionsWeakness(['CWE-119'], 'CWE-787')).toBe(true);
    expect(mentionsWeakness(['CWE-89', 'security'], 'CWE-79')).toBe(false);
    expect(mentionsWeakness([], 'CWE-787')).toBe(false);
  });
});

describe('the analyzers judge the CWEs they judged with the hand-written families', () => {
  const judged = (analyzer: { judges(cwe: string, language: 'python' | 'c'): boolean }, language: 'python' | 'c', ids: string) =>
    ids.split(' ').filter((n) => !analyzer.judges(`CWE-${n}`, language));

  it('bandit: injections, secrets, crypto, randomness, deserialization, XML, files', () => {
    expect(judged(new BanditAnalyzer(), 'python', '77 78 89 94 95 259 798 295 326 327 328 330 338 377 502 605 611 776 732')).toEqual([]);
  });

  it('cppcheck, gcc and clang: memory errors', () => {
    // Each list is what the analyzer judged before that it still judges.
    expect(judged(new CppcheckAnalyzer(), 'c', '119 120 121 122 124 125 126 127 786 787 788 805 401 772 775 415 457 908 476 690 562')).toEqual([]);
    expect(judged(new GccAnalyzer(), 'c', '119 120 121 122 124 125 786 787 788 805 416 825 415 401 772 775 476 690 457 908 590 762 562 134')).toEqual([]);
    expect(judged(new ClangAnalyzer(), 'c', '415 416 825 401 772 476 690 457 908 562 590 762 369')).toEqual([]);
  });

  it('no longer judges what only the families joined: members the hierarchy files elsewhere', () => {
    // Off-by-one, buffer-size arithmetic and null termination are not out-of-bounds accesses.
    for (const id of ['CWE-131', 'CWE-170', 'CWE-193']) expect(new CppcheckAnalyzer().judges(id, 'c'), id).toBe(false);
    // bandit's XML checks report CWE-611 and CWE-776, not DTD control.
    expect(new BanditAnalyzer().judges('CWE-827', 'python')).toBe(false);
    expect(new BanditAnalyzer().judges('CWE-79', 'python')).toBe(false);
    expect(new ClangAnalyzer().judges('CWE-787', 'c')).toBe(false);
  });
});
