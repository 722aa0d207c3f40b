// Whitespace a text field does not show (a final line break, trailing spaces, tabs), said in words
// beside the field, and whitespace made visible in the changed parts of a diff.
import type { DiffPart } from '../core/diff';

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

const MARKS: Record<string, [mark: string, name: string]> = {
  ' ': ['·', 'space'],
  '\t': ['⇥', 'tab'],
  '\n': ['↵', 'line break'],
  '\r': ['␍', 'carriage return'],
};

/** A run of whitespace as marks in order, then in words: `··↵ (2 spaces, 1 line break)`. */
function describeRun(run: string): string {
  const chars = [...run];
  const marks = chars.map((c) => MARKS[c]?.[0] ?? '␣');
  const shown = marks.length > 8 ? `${marks.slice(0, 8).join('')}…` : marks.join('');
  const counts = new Map<string, number>();
  for (const c of chars) {
    const name = MARKS[c]?.[1] ?? 'other space';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return `${shown} (${[...counts].map(([name, count]) => plural(count, name)).join(', ')})`;
}

/**
 * Notes on the whitespace of a field's value that the field hides: how it starts and ends, tabs,
 * carriage returns and lines ending in spaces. Empty when there is nothing to say.
 */
export function whitespaceNotes(text: string): string[] {
  if (text === '') return ['empty'];
  if (text.trim() === '') return [`only whitespace: ${describeRun(text)}`];
  const notes: string[] = [];
  const leading = /^\s+/.exec(text)?.[0];
  if (leading) notes.push(`starts with ${describeRun(leading)}`);
  const trailing = /\s+$/.exec(text)?.[0];
  if (trailing) notes.push(`ends with ${describeRun(trailing)}`);
  else if (text.includes('\n')) notes.push('no line break at the end');
  // Lines ending in spaces before the final run of whitespace (said above).
  const lines = text.trimEnd().split('\n');
  const spaced = lines
    .slice(0, -1)
    .map((line, index) => (/[ \t]$/.test(line) && line.trim() !== '' ? index + 1 : 0))
    .filter((line) => line > 0);
  if (spaced.length > 0)
    notes.push(
      `${spaced.length === 1 ? 'line' : 'lines'} ${spaced.slice(0, 5).join(', ')}${spaced.length > 5 ? ', …' : ''} end${spaced.length === 1 ? 's' : ''} in spaces`,
    );
  const innerTabs = (text.trim().match(/\t/g) ?? []).length;
  if (innerTabs > 0) notes.push(`${plural(innerTabs, 'tab')} inside (⇥)`);
  if (text.includes('\r')) notes.push('carriage returns (CRLF)');
  return notes;
}

/**
 * A changed diff part with its whitespace visible: line breaks (`↵`), tabs (`⇥`) and carriage returns
 * (`␍`) always, spaces (`·`) where they start or end the part (spaces between words stay spaces).
 */
export function markWhitespace(text: string): string {
  const edges = /^( *)([\s\S]*?)( *)$/.exec(text);
  const [lead, middle, trail] = [edges?.[1] ?? '', edges?.[2] ?? text, edges?.[3] ?? ''];
  const dots = (run: string): string => '·'.repeat(run.length);
  const marked = middle.replace(/\t/g, '⇥').replace(/\r/g, '␍').replace(/\n/g, '↵\n');
  return dots(lead) + marked + dots(trail);
}

/** A diff's parts with the whitespace of inserted and deleted parts visible (equal parts as they are). */
export function visibleChanges(parts: DiffPart[]): DiffPart[] {
  return parts.map((part) =>
    part.kind === 'equal' ? part : { kind: part.kind, text: markWhitespace(part.text) },
  );
}
