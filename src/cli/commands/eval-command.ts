// `seccoder eval`: the paper's security-rate experiment against any OpenAI-compatible model, on the
// SVEN and SafeCoder scenarios, for each way of choosing demonstrations. Without a model: the
// retrieval side only (retrieval metrics, fix-pattern recall). Writes Markdown, JSON and an SVG.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import type { Retriever } from '../../retrieve/retriever.js';
import { CompletionCache } from '../../eval/security/completion-cache.js';
import { JudgeSelector } from '../../eval/security/judges.js';
import { DEFAULT_EVAL_MODES, parseEvalMode, type DemonstrationChooser, type EvalMode } from '../../eval/security/modes.js';
import { loadFixPairs } from '../../eval/security/retrieval-quality.js';
import { runSecurityEval, type EvalSettings } from '../../eval/security/run-eval.js';
import { SyntaxChecker } from '../../eval/security/samples.js';
import { loadEvalScenarios, parseScenarioSet, type EvalScenario } from '../../eval/security/scenario-sets.js';
import { renderEvalMarkdown } from '../../eval/security/report-markdown.js';
import { writeEvalReport } from '../../eval/security/write-report.js';
import { openIndexForCli, retrieverFor } from '../open-retriever.js';
import { modelClientOf, withIndexOptions, withModelOptions, type IndexOptions, type ModelOptions } from '../shared-options.js';
import { UsageError } from '../usage-error.js';

interface EvalOptions extends IndexOptions, ModelOptions {
  data: string;
  sets: string;
  modes: string;
  k: string;
  style: string;
  samples: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  cache: string | false;
  out: string;
  json?: boolean;
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  return number;
}

function numberIn(value: string, flag: string, range: { min: number; max: number; minExclusive?: boolean }): number {
  const number = Number(value);
  const low = range.minExclusive ? number <= range.min : number < range.min;
  if (value.trim() === '' || !Number.isFinite(number) || low || number > range.max) {
    const lowest = range.minExclusive ? `above ${range.min} up` : `from ${range.min}`;
    throw new UsageError(`${flag} must be a number ${lowest} to ${range.max}, got ${value}`);
  }
  return number;
}

function settingsFrom(options: EvalOptions): EvalSettings {
  if (options.style !== 'completion' && options.style !== 'chat') {
    throw new UsageError(`invalid --style ${JSON.stringify(options.style)}: use completion or chat`);
  }
  const modes = [...new Set(list(options.modes).map(parseEvalMode))];
  if (modes.length === 0) throw new UsageError('--modes lists no mode');
  return {
    modes,
    k: positiveInteger(options.k, '-k'),
    style: options.style,
    samples: positiveInteger(options.samples, '--samples'),
    temperature: numberIn(options.temperature, '--temperature', { min: 0, max: 2 }),
    topP: numberIn(options.topP, '--top-p', { min: 0, max: 1, minExclusive: true }),
    maxTokens: positiveInteger(options.maxTokens, '--max-tokens'),
  };
}

/** A bar on stderr while sampling, only on a terminal. */
function samplingProgress(stream: NodeJS.WriteStream = process.stderr): { onProgress: (done: number, total: number) => void; stop: () => void } {
  if (!stream.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream, format: 'sampling and judging [{bar}] {value}/{total} prompts', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

export function registerEvalCommand(program: Command): void {
  withIndexOptions(withModelOptions(program.command('eval'), 'retrieval metrics only'))
    .description(
      "measure security rates on the SVEN/SafeCoder scenarios per demonstration mode (the paper's protocol); without a model, retrieval quality only",
    )
    .option('--data <dir>', 'folder holding sven/ and safecoder/', '../shared/datasets')
    .option(
      '--sets <names>',
      'scenario sets, comma-separated: sven-trained, sven-gen_1, sven-gen_2, sven-prompts, safecoder-trained, safecoder-trained-new, safecoder-not-trained',
      'sven-trained',
    )
    .option('--modes <names>', 'demonstration modes, comma-separated: none, random, bm25, dense, hybrid, cwe-aware', DEFAULT_EVAL_MODES.join(','))
    .option('-k <n>', 'demonstrations per prompt', '1')
    .option('--style <style>', "completion (the paper's template) | chat", 'completion')
    .option('--samples <n>', 'samples per scenario and mode', '25')
    .option('--temperature <t>', 'sampling temperature', '0.4')
    .option('--top-p <p>', 'nucleus sampling mass', '0.95')
    .option('--max-tokens <n>', 'most new tokens per sample', '300')
    .option('--cache <dir>', 'resumable cache of samples (JSON Lines)', '.seccoder-eval-cache')
    .option('--no-cache', 'do not read or write the sample cache')
    .option('--out <dir>', 'folder for report.md, report.json and security-rate.svg', 'eval-report')
    .option('--json', 'print the JSON report instead of the Markdown')
    .action(async (options: EvalOptions) => {
      const settings = settingsFrom(options);
      const dataDir = resolve(options.data);
      if (!existsSync(dataDir)) throw new UsageError(`data folder ${dataDir} not found: pass --data <folder holding sven/ and safecoder/>`);
      const setNames = [...new Set(list(options.sets).map(parseScenarioSet))];
      if (setNames.length === 0) throw new UsageError('--sets lists no scenario set');
      const model = modelClientOf(options, { temperature: settings.temperature, topP: settings.topP, maxTokens: settings.maxTokens });

      const scenarios: EvalScenario[] = [];
      const sets: { name: string; scenarios: number }[] = [];
      for (const name of setNames) {
        const loaded = await loadEvalScenarios(dataDir, name);
        scenarios.push(...loaded);
        sets.push({ name, scenarios: loaded.length });
      }
      const index = await openIndexForCli(options);
      const retrievers = new Map<EvalMode, Retriever>();
      const chooser: DemonstrationChooser = {
        entries: index.entries,
        embedderId: index.embedder.id,
        retrieverFor: (mode) => {
          let retriever = retrievers.get(mode);
          if (!retriever) retrievers.set(mode, (retriever = retrieverFor(index, mode)));
          return retriever;
        },
      };
      const progress = samplingProgress();
      let report;
      try {
        report = await runSecurityEval({ scenarios, sets, fixPairs: await loadFixPairs(dataDir) }, settings, {
          chooser,
          model,
          cache: model ? await CompletionCache.open(options.cache === false ? undefined : resolve(options.cache)) : undefined,
          judges: new JudgeSelector({ analyzers: defaultAnalyzers() }),
          checker: new SyntaxChecker(),
          onProgress: progress.onProgress,
        });
      } finally {
        progress.stop();
      }
      const paths = await writeEvalReport(report, options.out);
      if (report.modelErrors.failed > 0) {
        console.error(
          `warning: ${report.modelErrors.failed} of ${report.modelErrors.prompts} prompts failed at the model; first: ${report.modelErrors.first ?? ''}`,
        );
      }
      console.log(options.json ? JSON.stringify(report, null, 2) : renderEvalMarkdown(report));
      console.error(`wrote ${paths.markdown}, ${paths.json} and ${paths.svg}`);
    });
}
