/** `openevc explain` as a library call (docs/api.md). Pure: runs in the browser as in Node. */
import { explainMessage, explanationToJson, renderExplanation } from '../explain/explain.js';
import type { ExplainOptions, Explanation, ExplanationJson } from '../explain/explain.js';


export interface ExplainReport {
  readonly explanation: Explanation;
  /** What `explain --json` prints. */
  readonly json: ExplanationJson;
  /** What `explain` prints. */
  readonly text: string;
}

/** `openevc explain`: a migration error message to its findings (features, CPUID locations, likely causes). */
export function explainReport(message: string, opts: ExplainOptions = {}): ExplainReport {
  const explanation = explainMessage(message, opts);
  return { explanation, json: explanationToJson(explanation), text: renderExplanation(explanation) };
}
