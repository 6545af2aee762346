// A corpus that is read and never written: the seed bundled with SecCoder, when the App runs with
// no corpus of the operator's (no SECCODER_CORPUS, no ./corpus). Growth, feedback and the corpus
// page would otherwise write corpus.jsonl, audit.jsonl and feedback.jsonl into the installed
// package, where an upgrade loses them and every installation shares them. Each write throws
// SeedCorpusWriteError; callers check `readOnly` first and skip with its reason.
import type { AppendResult, CorpusStore } from './types.js';
import type { SideLog, SideLogMerge } from './side-log.js';
import type { CorpusEntry } from './entry.js';
import type { CweExample } from './cwe-examples.js';
import { SeedCorpusWriteError } from './errors.js';

export class ReadOnlyCorpusStore implements CorpusStore {
  constructor(
    private readonly inner: CorpusStore,
    /** Why it is not written, for the check run, the logs and the page. */
    readonly readOnly: string,
  ) {}

  get location(): string {
    return this.inner.location;
  }

  read() {
    return this.inner.read();
  }

  readExamples() {
    return this.inner.readExamples();
  }

  readLog(log: SideLog) {
    return this.inner.readLog(log);
  }

  logLocation(log: SideLog): string {
    return this.inner.logLocation(log);
  }

  append(_entries: CorpusEntry[]): Promise<AppendResult> {
    return Promise.reject(this.refusal());
  }

  appendExamples(_examples: CweExample[]): Promise<CweExample[]> {
    return Promise.reject(this.refusal());
  }

  updateLog(_log: SideLog, _merge: SideLogMerge): Promise<void> {
    return Promise.reject(this.refusal());
  }

  private refusal(): SeedCorpusWriteError {
    return new SeedCorpusWriteError(this.inner.location, this.readOnly);
  }
}
