// Named errors for retrieval: each says what the user named or ran, and what to do instead.
import { SecCoderError } from '../errors/seccoder-error.js';

/** An `--embedder` (or config) value that is neither `default` nor `onnx:<folder>`. */
export class UnknownEmbedderError extends SecCoderError {
  override name = 'UnknownEmbedderError';
  constructor(readonly value: string) {
    super(`invalid embedder ${JSON.stringify(value)}: use "default" or "onnx:<folder with model.onnx and tokenizer.json>"`);
  }
}

/** The vector index holds a label past the corpus's entries: it was built from another version of the corpus. */
export class StaleIndexError extends SecCoderError {
  override name = 'StaleIndexError';
  constructor(readonly label: number) {
    super(`index label ${label} has no corpus entry: the index is out of date, run \`seccoder index\``);
  }
}
