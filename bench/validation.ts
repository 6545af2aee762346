// `npm run bench:validation`: does validation let real fixes through, posted minimally, and stop
// every hostile kind of reply? The fixed side of each SVEN/SafeCoder vulnerability-fix pair stands
// in for the model's reply to the vulnerable function: it must be accepted, and its suggestion
// should cover about the lines the real fix changed. Each mutation of it (bench/validation-
// mutations.ts: code outside the function, comment tricks, frame changes, a second function, …)
// must be rejected. `--split val` (default) is the reported set; tune on `--split train`.
// `--analyzers` also scores the analyzers' "not worse" gate (bench/validation-analyzers.ts) with
// every analyzer of defaultAnalyzers() installed here, and with each one left out.
// Usage: node dist/bench/validation.js [--data ../shared/datasets] [--split val|train] [--out dir] [--limit N] [--analyzers]
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { diffLines } from 'diff';
import { defaultAnalyzers } from '../src/analyze/registry.js';
import { extractSnippetFunctions } from '../src/detect/functions.js';
import type { FunctionInfo } from '../src/detect/types.js';
import { loadFixPairsOfSplit, type TrainingPair } from '../src/eval/training-pairs.js';
import { codeFromChatReply } from '../src/harden/extract-reply.js';
import { suggestionRanges } from '../src/harden/hunks.js';
import { validateCandidate } from '../src/harden/validate.js';
import { parseSource } from '../src/parse/index.js';
import { AnalyzerGateBench, analyzerGateMarkdown, recordGateCases } from './validation-analyzers.js';
import { MUTATIONS } from './validation-mutations.js';

interface KindCount {
  tried: number;
  rejected: number;
  /** Pair ids of replies that got through, to look at. */
  accepted: string[];
}

interface RealFixes {
  pairs: number;
  /** Pairs whose both sides parse and hold the function: the denominator. */
  parsing: number;
  accepted: number;
  /** Rejections of real fixes, by reason. */
  rejected: Record<string, number>;
  /** Suggested lines ÷ lines the real fix changed, per accepted fix. */
  sizeRatio: { median: number; p90: number; max: number };
  /** Share of accepted fixes whose suggestion is at most 1.5× the real change. */
  withinOneAndAHalf: number;
}

/** The function a fix pair is about: the outermost one spanning the most lines of the snippet. */
async function functionOf(code: string, pair: TrainingPair): Promise<FunctionInfo | undefined> {
  const parsed = await parseSource(code, pair.language, { path: pair.file });
  if (parsed.errors.length > 0) return undefined;
  const functions = await extractSnippetFunctions(code, pair.language, pair.file);
  return functions.sort((a, b) => b.endLine - b.startLine - (a.endLine - a.startLine))[0];
}

/** Lines of `before` the real fix deletes or rewrites, plus one anchor line for each pure insertion: the least a suggestion can cover. */
function changedLines(before: string, after: string): number {
  let count = 0;
  let pendingInsert = false;
  let previousRemoved = false;
  for (const part of diffLines(`${before.replace(/\n$/, '')}\n`, `${after.replace(/\n$/, '')}\n`)) {
    if (part.removed) {
      count += part.count ?? 0;
      previousRemoved = true;
      pendingInsert = false;
    } else if (part.added) {
      if (!previousRemoved) pendingInsert = true;
      previousRemoved = false;
    } else {
      if (pendingInsert) count += 1;
      pendingInsert = false;
      previousRemoved = false;
    }
  }
  return Math.max(1, count + (pendingInsert ? 1 : 0));
}

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
}

const fence = (code: string, language: string) => `\`\`\`${language}\n${code.replace(/\n$/, '')}\n\`\`\``;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, split: { type: 'string' }, out: { type: 'string' }, limit: { type: 'string' }, analyzers: { type: 'boolean' } },
  });
  const split = values.split === 'train' ? 'train' : 'val';
  const dataDir = resolve(values.data ?? '../shared/datasets');
  const all = await loadFixPairsOfSplit(dataDir, split);
  const pairs = values.limit ? all.slice(0, Number(values.limit)) : all;
  const started = performance.now();
  const gate = values.analyzers ? new AnalyzerGateBench(defaultAnalyzers()) : undefined;

  const real: RealFixes = { pairs: pairs.length, parsing: 0, accepted: 0, rejected: {}, sizeRatio: { median: 0, p90: 0, max: 0 }, withinOneAndAHalf: 0 };
  const ratios: number[] = [];
  const kinds: Record<string, KindCount> = Object.fromEntries(Object.keys(MUTATIONS).map((kind) => [kind, { tried: 0, rejected: 0, accepted: [] }]));

  for (const pair of pairs) {
    const original = await functionOf(pair.before, pair);
    const fixed = await functionOf(pair.after, pair);
    if (!original || !fixed || fixed.name !== original.name) continue;
    real.parsing += 1;
    const validateAgainst = async (target: FunctionInfo, code: string) => {
      const candidate = await codeFromChatReply(fence(code, pair.language), target.name, pair.language, pair.file);
      if (candidate === undefined) return { ok: false as const, reason: 'no-code-block' };
      return validateCandidate({ candidate, original: target, language: pair.language, path: pair.file });
    };
    const validate = (code: string) => validateAgainst(original, code);

    const verdict = await validate(fixed.code);
    if (verdict.ok) {
      real.accepted += 1;
      const ranges = suggestionRanges(original, verdict.code);
      const suggested = ranges.reduce((sum, range) => sum + (range.endLine - range.startLine + 1), 0);
      ratios.push(suggested / changedLines(original.code, verdict.code));
    } else {
      real.rejected[verdict.reason] = (real.rejected[verdict.reason] ?? 0) + 1;
    }

    for (const [kind, mutate] of Object.entries(MUTATIONS)) {
      const reply = mutate({ code: fixed.code, name: original.name, language: pair.language });
      if (reply === undefined) continue;
      const count = kinds[kind] as KindCount;
      count.tried += 1;
      if (!(await validate(reply)).ok) count.rejected += 1;
      else if (count.accepted.length < 5) count.accepted.push(pair.id);
    }
    if (gate) await recordGateCases(gate, pair, original, fixed, verdict.ok ? verdict.code : undefined, validateAgainst);
  }

  ratios.sort((a, b) => a - b);
  real.sizeRatio = { median: quantile(ratios, 0.5), p90: quantile(ratios, 0.9), max: ratios.at(-1) ?? Number.NaN };
  real.withinOneAndAHalf = ratios.length === 0 ? 0 : ratios.filter((ratio) => ratio <= 1.5).length / ratios.length;
  const acceptance = real.parsing === 0 ? 0 : real.accepted / real.parsing;
  const tried = Object.values(kinds).filter((kind) => kind.tried > 0);
  const report = {
    split,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    realFixes: { ...real, acceptance },
    hostile: kinds,
    ...(gate ? { analyzerGate: gate.report() } : {}),
    floors: {
      hostileAllRejected: tried.every((kind) => kind.rejected === kind.tried),
      realAcceptedAtLeast90: acceptance >= 0.9,
      medianSizeAtMost1_5: real.sizeRatio.median <= 1.5,
    },
  };

  const rows = Object.entries(kinds).map(
    ([kind, count]) =>
      `| ${kind} | ${count.tried} | ${count.rejected} | ${count.tried === 0 ? '–' : `${((100 * count.rejected) / count.tried).toFixed(1)}%`} |`,
  );
  const markdown = [
    `## Validation benchmark (${split}: ${real.pairs} pairs, ${real.parsing} whose both sides parse)`,
    '',
    `Real fixes accepted: ${real.accepted} / ${real.parsing} (${(100 * acceptance).toFixed(1)}%); rejected: ${JSON.stringify(real.rejected)}`,
    `Suggested lines ÷ real changed lines: median ${real.sizeRatio.median.toFixed(2)}, p90 ${real.sizeRatio.p90.toFixed(2)}, max ${real.sizeRatio.max.toFixed(2)}; ≤ 1.5× for ${(100 * real.withinOneAndAHalf).toFixed(1)}%`,
    '',
    '| hostile kind | tried | rejected | rate |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `Floors: every hostile kind rejected ${report.floors.hostileAllRejected ? 'yes' : 'NO'}; ≥ 90% of real fixes accepted ${report.floors.realAcceptedAtLeast90 ? 'yes' : 'NO'}; median size ≤ 1.5× ${report.floors.medianSizeAtMost1_5 ? 'yes' : 'NO'}`,
    ...(report.analyzerGate ? ['', analyzerGateMarkdown(report.analyzerGate)] : []),
  ].join('\n');
  console.log(markdown);
  console.log(JSON.stringify(report));
  if (values.out) {
    await mkdir(values.out, { recursive: true });
    await writeFile(join(values.out, 'validation.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(values.out, 'validation.md'), `${markdown}\n`);
  }
}

await main();
