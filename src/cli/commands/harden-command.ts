// `seccoder harden`: the pipeline from the command line. With a model it prints each validated
// suggestion as a diff (and with --patch / --write, writes them); without one (precedent mode) it
// prints the targets, the demonstrations it would learn from and the exact prompt it would send.
// It tells the truth through its exit code: 0 when every target got a suggestion or an explained
// "no change", 3 when the model or an analyzer failed on one (see EXIT_CODES).
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { defaultAnalyzers } from '../../analyze/registry.js';
import { parseUnifiedDiff, type ChangedFile } from '../../detect/diff.js';
import { qualifiedName } from '../../detect/qualified-name.js';
import { SarifAlertSource } from '../../detect/sarif.js';
import type { SourceFile } from '../../detect/targets.js';
import type { Alert } from '../../detect/types.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { hardenChange } from '../../harden/harden-change.js';
import type { Suggestion } from '../../harden/suggestion.js';
import { languageFromPath, parseLanguage } from '../../lang/languages.js';
import { applySuggestions, byPath, filePatch } from '../apply-suggestions.js';
import { CommandExit, EXIT_CODES } from '../exit-codes.js';
import { failFast } from '../fail-fast-model.js';
import { jsonReport, printOutcomes, type HardenReport, type Precedent } from '../harden-output.js';
import { InputFileError } from '../input-file-error.js';
import { openIndexForCli, retrieverFor } from '../open-retriever.js';
import { readInputFile } from '../read-input.js';
import { modelClientOf, modelSettingsOf, withIndexOptions, withModelOptions } from '../shared-options.js';
import { UsageError } from '../usage-error.js';

interface HardenOptions {
  diff?: string;
  sarif: string[];
  function?: string;
  language?: string;
  modelUrl?: string;
  model?: string;
  apiKeyEnv?: string;
  samples: string;
  style: string;
  maxTargets: string;
  dryRun?: boolean;
  json?: boolean;
  progress?: boolean;
  patch?: string;
  write?: boolean;
  corpus?: string;
  embedder: string;
}

/** More targets than this get a progress line each (on a terminal, or with --progress). */
const PROGRESS_ABOVE = 3;

const EXIT_HELP = `
Exit codes:
  0  it ran: every target got a suggestion or an explained "no change" (all samples rejected is
     not a failure: the rejection counts are printed), or precedent mode (no model, --dry-run)
  1  a user error (bad flag, unreadable file, a diff holding no change, SARIF alerts none of which
     point into the files given, an alert past the end of its file): one line on stderr
  2  a bug in SecCoder (printed with its stack trace)
  3  the model or an analyzer failed on at least one target (unreachable, HTTP 401/500, timeout):
     the failures are on stderr; the rest of the report is on stdout, and --patch/--write still
     write the suggestions that were made`;

const collect = (value: string, previous: string[]) => [...previous, value];

/** Repository-relative, forward-slash paths, as diffs and SARIF name files. */
function repoPath(path: string): string {
  return relative(process.cwd(), resolve(path)).split(sep).join('/');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  return number;
}

function listed(items: readonly string[], max = 5): string {
  return `${items.slice(0, max).join(', ')}${items.length > max ? ` and ${items.length - max} more` : ''}`;
}

async function readDiff(option: string): Promise<ChangedFile[]> {
  const text = option === '-' ? await readStdin() : await readInputFile(option);
  const diff = parseUnifiedDiff(text);
  const name = option === '-' ? 'the diff on stdin' : option;
  if (diff.length === 0) throw new UsageError(`${name} holds no file change`, { hint: 'give a unified diff, e.g. the output of git diff' });
  return diff;
}

/**
 * The SARIF files' alerts for the files given. A SARIF for a whole repository may name other files:
 * their alerts are left out and said so, unless none point into the given files, which means the
 * paths do not line up (the likelier mistake). An alert past the end of its file is an error: the
 * SARIF is for another version of it.
 */
async function readAlerts(paths: readonly string[], files: readonly SourceFile[]): Promise<{ alerts: Alert[]; dropped: string[] }> {
  const source = new SarifAlertSource(paths, { roots: [process.cwd()] });
  const all = await source.alerts();
  const dropped = source.problems.map((problem) => `skipped SARIF result ${problem.item} of ${problem.source}: ${problem.reason}`);
  const given = new Map(files.map((file) => [file.path, file]));
  const inside = all.filter((alert) => given.has(alert.path));
  const outside = [...new Set(all.filter((alert) => !given.has(alert.path)).map((alert) => alert.path))];
  if (outside.length > 0 && inside.length === 0) {
    const first = all.find((alert) => alert.path === outside[0]) as Alert;
    throw new UsageError(
      `SARIF alert ${first.ruleId} (line ${first.startLine}) points to ${first.path}` +
        `${outside.length > 1 ? ` (alerts also point to ${listed(outside.slice(1), 3)})` : ''}, and no alert points into the files given: ${listed([...given.keys()])}`,
      { hint: 'pass the files the alerts point into, named from the folder the SARIF paths start at' },
    );
  }
  if (outside.length > 0) dropped.push(`left out the alerts of ${outside.length} file(s) not given: ${listed(outside, 3)}`);
  for (const alert of inside) {
    const lineCount = (given.get(alert.path) as SourceFile).content.replace(/\n$/, '').split('\n').length;
    if (alert.startLine > lineCount) {
      throw new UsageError(`SARIF alert ${alert.ruleId} points to line ${alert.startLine} of ${alert.path}, which has ${lineCount} lines`, {
        hint: 'the SARIF was made for another version of the file: run the analyzer again on this one',
      });
    }
  }
  return { alerts: inside, dropped };
}

/** Writes each file's suggestions in place, atomically, keeping its mode; refuses a file changed since it was read. */
async function writeSuggestions(suggestions: readonly Suggestion[], files: ReadonlyMap<string, { arg: string; content: string }>): Promise<string[]> {
  const notes: string[] = [];
  const updates: { path: string; arg: string; text: string; count: number }[] = [];
  for (const [path, group] of byPath(suggestions)) {
    const file = files.get(path);
    if (!file) continue;
    updates.push({ path, arg: file.arg, text: applySuggestions(file.content, group), count: group.length });
  }
  for (const update of updates) {
    const file = files.get(update.path) as { arg: string; content: string };
    if ((await readFile(update.arg, 'utf8')) !== file.content) {
      throw new InputFileError(update.arg, 'changed since seccoder read it; nothing more was written (run seccoder harden again)');
    }
    const { mode } = await stat(update.arg);
    await writeFileAtomic(resolve(update.arg), async (tempPath) => {
      await writeFile(tempPath, update.text, 'utf8');
      await chmod(tempPath, mode & 0o7777);
    });
    notes.push(`wrote ${update.count} ${update.count === 1 ? 'suggestion' : 'suggestions'} to ${update.arg}`);
  }
  return notes;
}

/** One unified patch of every suggestion, file after file, as `git apply` takes it from the repository root. */
function suggestionsPatch(suggestions: readonly Suggestion[], files: ReadonlyMap<string, { content: string }>): string {
  return [...byPath(suggestions)]
    .map(([path, group]) => {
      const content = files.get(path)?.content ?? '';
      return filePatch(path, content, applySuggestions(content, group));
    })
    .join('');
}

export function registerHardenCommand(program: Command): void {
  withIndexOptions(withModelOptions(program.command('harden')))
    .description('suggest secure rewrites of functions, learned from secure demonstrations in the corpus')
    .argument('<files...>', 'source files to harden')
    .option('--diff <file>', 'a unified diff (or - for stdin): harden only the functions it adds or changes')
    .option('--sarif <file>', 'SARIF results (file or folder, repeatable): harden the functions alerts point into; none if it has no results', collect, [])
    .option('--function <name>', 'only this function')
    .option('--language <name>', 'language of the files, when the extension does not tell')
    .option('--samples <n>', 'samples per target; the best valid one is kept', '3')
    .option('--style <style>', "chat | completion (the paper's completion template)", 'chat')
    .option('--max-targets <n>', 'most functions to harden', '10')
    .option('--dry-run', 'do not call the model: print the prompts (precedent mode)')
    .option('--patch <file>', 'also write every suggestion as one unified patch (git apply <file>)')
    .option('--write', 'apply the suggestions to the files in place (atomically)')
    .option('--progress', 'print [i/n] path:function on stderr as each target starts (default: on a terminal, above 3 targets)')
    .option('--json', 'print JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (paths: string[], options: HardenOptions) => {
      if (options.style !== 'chat' && options.style !== 'completion') {
        throw new UsageError(`invalid --style ${JSON.stringify(options.style)}: use chat or completion`);
      }
      const style = options.style;
      const samples = positiveInteger(options.samples, '--samples');
      const maxTargets = positiveInteger(options.maxTargets, '--max-targets');
      if (options.dryRun && (options.write || options.patch)) {
        throw new UsageError(`${options.write ? '--write' : '--patch'} writes suggestions, and --dry-run asks the model for none`);
      }
      const language = options.language ? parseLanguage(options.language) : undefined;
      const files: SourceFile[] = [];
      const byRepoPath = new Map<string, { arg: string; content: string }>();
      for (const path of paths) {
        const content = await readInputFile(path);
        files.push({ path: repoPath(path), content, language: language ?? languageFromPath(path) });
        byRepoPath.set(repoPath(path), { arg: path, content });
      }
      const diff = options.diff ? await readDiff(options.diff) : undefined;
      let alerts: Alert[] | undefined;
      if (options.sarif.length > 0) {
        const read = await readAlerts(options.sarif, files);
        for (const line of read.dropped) console.error(line);
        alerts = read.alerts;
        if (alerts.length === 0 && diff) console.error(`no alerts in ${options.sarif.join(', ')}: only the functions the diff changes are hardened`);
      }

      let precedent: Precedent | undefined;
      let model;
      if (options.dryRun) {
        const settings = modelSettingsOf(options);
        precedent = settings ? { reason: 'dry-run', url: settings.url, ...(settings.name ? { model: settings.name } : {}) } : { reason: 'dry-run' };
      } else {
        const client = modelClientOf(options, { samples });
        if (client) model = failFast(client);
        else precedent = { reason: 'no-model' };
      }
      if (!model && (options.write || options.patch)) {
        throw new UsageError(`${options.write ? '--write' : '--patch'} writes suggestions, which need a model: pass --model-url and --model`);
      }

      if (alerts && alerts.length === 0 && !diff) {
        const note = `no alerts in ${options.sarif.join(', ')}, so nothing was hardened (without --sarif, every function of the files is a target)`;
        const report: HardenReport = { model: model?.name, ...(precedent ? { precedent } : {}), outcomes: [], skipped: [], files };
        if (options.json) console.log(JSON.stringify(jsonReport(report, { note }), null, 2));
        else console.log(`0 targets: ${note}.`);
        if (options.patch) {
          await writeFileAtomic(resolve(options.patch), (tempPath) => writeFile(tempPath, '', 'utf8'));
          console.error(`no suggestions: wrote an empty patch to ${options.patch}`);
        }
        return;
      }

      const showProgress = options.progress === true || process.stderr.isTTY === true;
      const { outcomes, skipped } = await hardenChange(
        { files, ...(diff ? { diff } : {}), ...(alerts ? { alerts } : {}) },
        { demonstrations: async () => retrieverFor(await openIndexForCli(options), 'cwe-aware'), model, analyzers: defaultAnalyzers() },
        {
          style,
          targets: { maxTargets },
          ...(options.function ? { functionName: options.function } : {}),
          onTarget: (target, index, total) => {
            if (showProgress && total > PROGRESS_ABOVE) console.error(`[${index + 1}/${total}] ${target.path}:${qualifiedName(target.function)}`);
          },
        },
      );
      if (options.function && outcomes.length === 0) throw new UsageError(`no function named ${options.function} among the targets in ${paths.join(', ')}`);
      printOutcomes({ model: model?.name, ...(precedent ? { precedent } : {}), outcomes, skipped, files }, { json: options.json === true, style });

      const suggestions = outcomes.flatMap((outcome) => (outcome.suggestion ? [outcome.suggestion] : []));
      if (options.patch) {
        await writeFileAtomic(resolve(options.patch), (tempPath) => writeFile(tempPath, suggestionsPatch(suggestions, byRepoPath), 'utf8'));
        console.error(
          suggestions.length > 0
            ? `wrote a patch of ${suggestions.length} ${suggestions.length === 1 ? 'suggestion' : 'suggestions'} to ${options.patch} (git apply ${options.patch})`
            : `no suggestions: wrote an empty patch to ${options.patch}`,
        );
      }
      if (options.write) {
        const notes = await writeSuggestions(suggestions, byRepoPath);
        for (const note of notes) console.error(note);
        if (notes.length === 0) console.error('no suggestions: no file was changed');
      }

      const failed = outcomes.filter((outcome) => outcome.error !== undefined).length;
      if (failed > 0) {
        console.error(`seccoder: the model or an analyzer failed on ${failed} of ${outcomes.length} targets (exit code ${EXIT_CODES.targetFailed})`);
        throw new CommandExit(EXIT_CODES.targetFailed);
      }
    });
}
