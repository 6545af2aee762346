// Public API of the parsing layer.
export { GRAMMARS, GrammarLoadError, grammarFor, grammarWasmPath, loadGrammarFile, loadLanguage, loadParser, type Grammar } from './grammars.js';
export {
  collectSyntaxProblems,
  describeSyntaxProblems,
  parseFunction,
  parseSource,
  SNIPPET_WRAPPERS,
  type ParsedFunction,
  type ParsedSource,
  type ParseOptions,
  type SyntaxProblem,
} from './parse-source.js';
