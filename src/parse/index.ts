// Public API of the parsing layer.
export { GRAMMARS, GrammarLoadError, grammarFor, grammarWasmPath, loadGrammarFile, loadLanguage, loadParser, type Grammar } from './grammars.js';
export {
  collectSyntaxProblems,
  describeSyntaxProblems,
  parseFunction,
  parseSource,
  parseWrapped,
  SNIPPET_WRAPPERS,
  type ParsedFunction,
  type ParsedSource,
  type ParseOptions,
  type SyntaxProblem,
  type WrappedParse,
} from './parse-source.js';
export { COMMENT_TYPES, isComment, tokenKey, tokensOf, type TokenOptions, type TokenText } from './syntax-key.js';
export { topLevelKind, wrapperMembers, type TopLevelKind } from './top-level.js';
export type { Node as SyntaxNode } from 'web-tree-sitter';
