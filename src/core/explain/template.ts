// Maps explanation scores on the rendered prompt back onto a `.prompt` template through its source
// map, and sums them per variable output and per `promptrange`. Implemented with the explain work.
import type { TextSpanScore } from '../backend';
import type { RenderResult } from '../promptFile/index';

export interface SourceSpanScore {
  /** UTF-16 offsets into the whole `.prompt` file. */
  sourceStart: number;
  sourceLength: number;
  score: number;
  /** Set when the span is (part of) a `{{ expr }}` output. */
  variable?: string;
}

export interface TemplateExplanation {
  spans: SourceSpanScore[];
  perVariable: { variable: string; score: number }[];
  perRange: { name: string; score: number }[];
}

export function explanationOnTemplate(_scores: readonly TextSpanScore[], _render: RenderResult): TemplateExplanation {
  throw new Error('explanationOnTemplate is not implemented yet');
}
