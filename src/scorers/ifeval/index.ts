/**
 * IFEval (Zhou et al. 2023, "Instruction-Following Evaluation for Large Language Models"): a TypeScript port of the
 * official checker (google-research `instruction_following_eval`), every instruction of its registry, strict and loose
 * evaluation, with the NLTK (Punkt, Treebank) and langdetect behaviour it depends on.
 */
export {
  buildInstructions,
  checkInstructions,
  evaluateChecks,
  type InstructionResults,
  looseVariants,
} from "./evaluate.js";
export {
  detectLanguage,
  LangDetectError,
  LanguageDetector,
  languageDetector,
  loadLanguageProfiles,
} from "./langdetect/detector.js";
export { countSentences, sentTokenize } from "./punkt/tokenizer.js";
export { treebankTokenize, wordTokenize } from "./punkt/word-tokenize.js";
export { countWordTokens } from "./python-text.js";
export {
  buildInstruction,
  IfevalInstructionError,
  INSTRUCTION_IDS,
  type InstructionCheck,
  LANGUAGE_CODES,
} from "./registry.js";
export {
  IFEVAL_METRICS,
  type IfevalMetric,
  type IfevalSampleMetadata,
  ifevalMetadata,
  ifevalScorer,
  ifevalScores,
  instructionLevelAccuracy,
} from "./scorer.js";
