// The environment the Actions runner gives a JavaScript action, set up for one test: each input as
// `INPUT_<NAME>` (upper-cased, hyphens kept), the event payload in a file named by
// GITHUB_EVENT_PATH, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY as files the test reads back.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GITHUB_API = 'https://api.github.com';

export interface RunnerFiles {
  /** GITHUB_WORKSPACE: relative input paths start here. */
  workspace: string;
  /** RUNNER_TEMP: the Action's own files (report, corpus copy) go below it. */
  runnerTemp: string;
  outputFile: string;
  summaryFile: string;
  eventFile: string;
}

export interface RunnerSetup {
  /** Inputs by their action.yml names (`model-url`); the runner sets every declared one, defaults included. */
  inputs: Record<string, string>;
  eventName: string;
  payload: unknown;
  /** Variables added or overridden. */
  extra?: Record<string, string>;
}

/** The variables (a fresh set of files in a temp folder) for `setup`. */
export function runnerEnv(setup: RunnerSetup): { env: Record<string, string>; files: RunnerFiles; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'seccoder-action-'));
  const files: RunnerFiles = {
    workspace: join(root, 'workspace'),
    runnerTemp: join(root, 'runner-temp'),
    outputFile: join(root, 'github-output'),
    // @actions/core's `summary` keeps the first path it sees for the life of the process, so every
    // run in one test process writes the same file, emptied for each setup.
    summaryFile: join(tmpdir(), `seccoder-step-summary-${process.pid}.md`),
    eventFile: join(root, 'event.json'),
  };
  for (const dir of [files.workspace, files.runnerTemp]) mkdirSync(dir);
  writeFileSync(files.outputFile, '');
  writeFileSync(files.summaryFile, '');
  writeFileSync(files.eventFile, JSON.stringify(setup.payload));
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: setup.eventName,
    GITHUB_EVENT_PATH: files.eventFile,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: GITHUB_API,
    GITHUB_WORKSPACE: files.workspace,
    GITHUB_OUTPUT: files.outputFile,
    GITHUB_STEP_SUMMARY: files.summaryFile,
    GITHUB_RUN_ID: '7001',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: files.runnerTemp,
    ...Object.fromEntries(Object.entries(setup.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...setup.extra,
  };
  const cleanup = () => {
    rmSync(root, { recursive: true, force: true });
    rmSync(files.summaryFile, { force: true });
  };
  return { env, files, cleanup };
}

/** The outputs written to GITHUB_OUTPUT (`name<<delimiter` … `delimiter` blocks). */
export function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of readFileSync(file, 'utf8').matchAll(block)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}
