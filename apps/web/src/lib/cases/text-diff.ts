/**
 * A readable diff of two versions of a case, for its history page: which fields changed, and for
 * text a word diff (words and the white space between them, so line breaks stay where they were).
 * The longest common subsequence of the tokens, on the part between the common head and tail
 * (edits touch a few places of a long text; the table stays small). Past MAX_CELLS the middle is
 * shown as removed then added, never a slow page.
 */

export type DiffPart = { op: 'same' | 'added' | 'removed'; text: string };

/** Beyond this many table cells (tokens × tokens of the changed middle), no word alignment. */
export const MAX_CELLS = 4_000_000;

/** Words, runs of white space and punctuation, each a token: "a, b" → ["a", ",", " ", "b"]. */
export function tokens(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}_'’-]+|[^\s\p{L}\p{N}_'’-]/gu) ?? [];
}

function push(parts: DiffPart[], op: DiffPart['op'], text: string) {
  if (!text) return;
  const last = parts.at(-1);
  if (last?.op === op) last.text += text;
  else parts.push({ op, text });
}

/** The parts of `after` against `before`: same, removed (only in before) and added (only in after). */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    tail += 1;
  }
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const parts: DiffPart[] = [];
  push(parts, 'same', a.slice(0, head).join(''));
  if (midA.length * midB.length > MAX_CELLS) {
    push(parts, 'removed', midA.join(''));
    push(parts, 'added', midB.join(''));
  } else {
    // lengths[i][j]: the longest common subsequence of midA[i..] and midB[j..].
    const width = midB.length + 1;
    const lengths = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i -= 1) {
      for (let j = midB.length - 1; j >= 0; j -= 1) {
        lengths[i * width + j] =
          midA[i] === midB[j]
            ? lengths[(i + 1) * width + j + 1]! + 1
            : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length && j < midB.length) {
      if (midA[i] === midB[j]) {
        push(parts, 'same', midA[i]!);
        i += 1;
        j += 1;
      } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
        push(parts, 'removed', midA[i]!);
        i += 1;
      } else {
        push(parts, 'added', midB[j]!);
        j += 1;
      }
    }
    push(parts, 'removed', midA.slice(i).join(''));
    push(parts, 'added', midB.slice(j).join(''));
  }
  push(parts, 'same', a.slice(a.length - tail).join(''));
  return readable(parts);
}

/**
 * Changes separated only by white space read as one change ("[-a b-]{+c d+}", not
 * "[-a-]{+c+} [-b-]{+d+}"): the white space joins both sides of the run.
 */
function readable(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let removed = '';
  let added = '';
  let inRun = false;
  const flush = () => {
    push(out, 'removed', removed);
    push(out, 'added', added);
    removed = added = '';
    inRun = false;
  };
  parts.forEach((part, index) => {
    const next = parts[index + 1];
    if (part.op === 'removed') {
      removed += part.text;
      inRun = true;
    } else if (part.op === 'added') {
      added += part.text;
      inRun = true;
    } else if (inRun && next && /^\s+$/.test(part.text)) {
      removed += part.text;
      added += part.text;
    } else {
      if (inRun) flush();
      push(out, 'same', part.text);
    }
  });
  if (inRun) flush();
  return out;
}

export type FieldValue = string | number | null | readonly string[];

export type FieldChange<K extends string = string> =
  | { field: K; kind: 'text'; parts: DiffPart[] }
  | { field: K; kind: 'list'; added: string[]; removed: string[] }
  | { field: K; kind: 'value'; before: string | number | null; after: string | number | null };

/**
 * The fields of `after` that differ from `before`, in the order of `fields`: `text` fields get a
 * word diff, lists what was added and removed, the others their old and new values.
 */
export function diffFields<K extends string>(
  before: Record<K, FieldValue>,
  after: Record<K, FieldValue>,
  fields: readonly K[],
  textFields: ReadonlySet<K>,
): FieldChange<K>[] {
  const changes: FieldChange<K>[] = [];
  for (const field of fields) {
    const was = before[field];
    const now = after[field];
    if (Array.isArray(was) || Array.isArray(now)) {
      const old = (was ?? []) as readonly string[];
      const next = (now ?? []) as readonly string[];
      const added = next.filter((v) => !old.includes(v));
      const removed = old.filter((v) => !next.includes(v));
      if (added.length || removed.length) changes.push({ field, kind: 'list', added, removed });
    } else if (was !== now) {
      const single = (v: FieldValue) => v as string | number | null;
      if (textFields.has(field)) {
        changes.push({ field, kind: 'text', parts: diffWords(String(was ?? ''), String(now ?? '')) });
      } else changes.push({ field, kind: 'value', before: single(was), after: single(now) });
    }
  }
  return changes;
}
