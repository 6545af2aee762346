// Named errors for the embedders: each message names the file or the corpus at fault and what to do.
import { SecCoderError } from '../errors/seccoder-error.js';

/** The model folder (or the saved default embedder) cannot be used; the message names the file and what to do about it. */
export class EmbedderLoadError extends SecCoderError {
  override readonly name = 'EmbedderLoadError';
}

/** The default embedder is trained on the corpus, so a corpus without entries leaves nothing to learn from. */
export class EmptyCorpusError extends SecCoderError {
  override name = 'EmptyCorpusError';
  constructor() {
    super('cannot train the default embedder on an empty corpus', { hint: 'add secure functions with `seccoder corpus add`, or pass --corpus <dir>' });
  }
}
