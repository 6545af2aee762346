// The corpus as a folder: `corpus.jsonl` (one entry a line) plus derived files beside it.
// Appends take a lock, rewrite the whole file to a temp file and rename it over the old one, so a
// writer killed at any moment leaves the previous corpus complete.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeChunksAtomic } from '../fs/atomic-write.js';
import type { CorpusEntry } from './entry.js';
import { splitNewEntries } from './dedupe.js';
import { CorpusNotFoundError } from './errors.js';
import { withFileLock, type LockOptions } from './file-lock.js';
import { parseCorpusJsonl, serializeEntry, type ParsedCorpus } from './jsonl.js';
import type { AppendResult, CorpusStore } from './types.js';
import { SIDE_LOGS, type SideLog, type SideLogMerge } from './side-log.js';
import { CWE_EXAMPLES_FILE, newCweExamples, parseCweExamples, readCweExamples, serializeCweExample, type CweExample } from './cwe-examples.js';

export const CORPUS_FILE = 'corpus.jsonl';

export class LocalCorpusStore implements CorpusStore {
  readonly dir: string;
  readonly file: string;

  constructor(
    dir: string,
    private readonly lockOptions: LockOptions = {},
  ) {
    this.dir = resolve(dir);
    this.file = join(this.dir, CORPUS_FILE);
  }

  get location(): string {
    return this.file;
  }

  async read(): Promise<ParsedCorpus> {
    return parseCorpusJsonl(await this.readText(), this.file);
  }

  async append(entries: CorpusEntry[]): Promise<AppendResult> {
    await this.requireDir();
    return withFileLock(
      `${this.file}.lock`,
      async () => {
        await this.removeAbandonedTempFiles();
        const existing = await this.readText({ allowMissingFile: true });
        const { added, duplicates } = splitNewEntries(parseCorpusJsonl(existing, this.file).entries, entries);
        if (added.length === 0) return { added, duplicates };
        // Existing lines are copied verbatim, even ones that fail validation: never lose data.
        const head = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
        await writeChunksAtomic(this.file, [head, ...added.map((entry) => `${serializeEntry(entry)}\n`)]);
        return { added, duplicates };
      },
      this.lockOptions,
    );
  }

  async readExamples(): Promise<CweExample[]> {
    return readCweExamples(this.dir);
  }

  async appendExamples(examples: CweExample[]): Promise<CweExample[]> {
    let added: CweExample[] = [];
    const file = join(this.dir, CWE_EXAMPLES_FILE);
    await this.appendLines(CWE_EXAMPLES_FILE, (existing) => {
      added = newCweExamples(parseCweExamples(existing, file), examples);
      return added.map(serializeCweExample);
    });
    return added;
  }

  logLocation(log: SideLog): string {
    return join(this.dir, SIDE_LOGS[log]);
  }

  async readLog(log: SideLog): Promise<string> {
    return readFile(this.logLocation(log), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
  }

  async updateLog(log: SideLog, merge: SideLogMerge): Promise<void> {
    await this.appendLines(SIDE_LOGS[log], merge);
  }

  /** Appends to a file beside the corpus, under its own lock, the lines `merge` decides from its current text. */
  private async appendLines(name: string, merge: SideLogMerge): Promise<void> {
    await this.requireDir();
    const file = join(this.dir, name);
    await withFileLock(
      `${file}.lock`,
      async () => {
        await this.removeAbandonedTempFiles(name);
        const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return '';
          throw error;
        });
        const lines = merge(existing);
        if (lines.length === 0) return;
        // Existing lines are copied verbatim, even ones that fail validation: never lose data.
        const head = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
        await writeChunksAtomic(file, [head, ...lines.map((line) => `${line}\n`)]);
      },
      this.lockOptions,
    );
  }

  /** Temp files of writers killed mid-write; holding the lock, no live writer owns one. */
  private async removeAbandonedTempFiles(name = CORPUS_FILE): Promise<void> {
    const prefix = `.${name}.`;
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) await rm(join(this.dir, name), { force: true });
    }
  }

  private async requireDir(): Promise<void> {
    const info = await stat(this.dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new CorpusNotFoundError(this.dir);
  }

  private async readText(options: { allowMissingFile?: boolean } = {}): Promise<string> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (options.allowMissingFile) return '';
      throw new CorpusNotFoundError(this.file);
    }
  }
}
