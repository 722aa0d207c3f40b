import type { CompletionDelta, FinishReason } from '../../core/backend';
import { MAX_KEPT_CHOICES } from '../../core/completionChoices';
import { TokenPlacer } from '../../core/completion/tokenPlacer';

export interface Choice {
  /** The completion's index in the reply (0: the first, which the editor shows). */
  index: number;
  placer: TokenPlacer;
  finishReason?: FinishReason;
}

/**
 * The completions of one reply kept apart by their index: with `n` > 1 a server interleaves them in
 * one stream, and a delta only ever adds to the completion it names.
 */
export class CompletionChoices {
  private readonly byIndex = new Map<number, Choice>();
  /** Completion 0: the one the editor inserts or shows first. */
  readonly first: Choice;

  constructor(private readonly newPlacer: () => TokenPlacer = () => new TokenPlacer()) {
    this.first = { index: 0, placer: newPlacer() };
    this.byIndex.set(0, this.first);
  }

  /** The choice the delta belongs to, with the delta added; undefined past MAX_KEPT_CHOICES. */
  add(delta: CompletionDelta): Choice | undefined {
    const choice = this.choice(delta.index);
    if (!choice) return undefined;
    choice.placer.add(delta.text, delta.tokens);
    if (delta.finishReason) choice.finishReason = delta.finishReason;
    return choice;
  }

  /** The choice of `index`, created on first use (undefined past the cap). */
  choice(index: number): Choice | undefined {
    const known = this.byIndex.get(index);
    if (known) return known;
    if (this.byIndex.size >= MAX_KEPT_CHOICES) return undefined;
    const choice: Choice = { index, placer: this.newPlacer() };
    this.byIndex.set(index, choice);
    return choice;
  }

  /** The choice of `index` if the reply had one. */
  choiceIfKnown(index: number): Choice | undefined {
    return this.byIndex.get(index);
  }

  /** Every choice that has text, by index. */
  withText(): Choice[] {
    return [...this.byIndex.values()]
      .filter((choice) => choice.placer.completionText !== '')
      .sort((a, b) => a.index - b.index);
  }

  /** Every completion the reply had, by index, empty ones included (a completion that stopped at once). */
  all(): Choice[] {
    return [...this.byIndex.values()].sort((a, b) => a.index - b.index);
  }

  /** Characters received over all choices (grows whenever any choice grows). */
  get length(): number {
    let total = 0;
    for (const choice of this.byIndex.values()) total += choice.placer.completionText.length;
    return total;
  }
}
