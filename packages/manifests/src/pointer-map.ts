import { formatPointer } from '@shipshape/core';
import {
  COLLECTION_STYLE,
  EVENT_ID,
  type Event,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE,
} from 'js-yaml/browser';

/** Where one node of a document stands: its value and, for mapping values, its key. */
export interface NodeRange {
  readonly start: number;
  readonly end: number;
  readonly keyStart?: number;
  readonly keyEnd?: number;
}

interface Frame {
  readonly pointer: string;
  readonly isMap: boolean;
  /** Written in flow style (`{…}`, `[…]`): it ends after its closing bracket. */
  readonly flow: boolean;
  index: number;
  key: string | undefined;
  keyStart: number;
  keyEnd: number;
  start: number;
  end: number;
}

/**
 * Map every JSON Pointer of a YAML document to its offsets in `text`, from js-yaml's event
 * stream. This is the slow, position-keeping path: it runs only for documents that got a
 * diagnostic. Offsets are relative to `text`. Returns an empty map if the text does not parse.
 */
export function mapPointers(text: string, maxDepth: number): Map<string, NodeRange> {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth });
  } catch {
    return new Map();
  }
  const ranges = new Map<string, NodeRange>();
  const stack: Frame[] = [];
  let documentsSeen = 0;
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      if (++documentsSeen > 1) break;
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      const done = stack.pop();
      if (done) {
        if (done.flow) done.end = closingBracket(text, done);
        ranges.set(done.pointer, rangeOf(ranges.get(done.pointer), done.start, done.end));
        const parent = stack.at(-1);
        if (parent) {
          parent.end = Math.max(parent.end, done.end);
          afterValue(parent);
        }
      }
      continue;
    }
    const [start, end] = eventRange(event);
    const parent = stack.at(-1);
    if (parent?.isMap && parent.key === undefined) {
      parent.key = event.type === EVENT_ID.SCALAR ? getScalarValue(text, event) : '?';
      parent.keyStart = start;
      parent.keyEnd = end;
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
        // A complex key: skip its contents by tracking it as an anonymous frame.
        stack.push(
          newFrame(`${parent.pointer}/\u0000key`, event.type === EVENT_ID.MAPPING, isFlow(event), start),
        );
      }
      continue;
    }
    const pointer = parent ? childPointer(parent) : '';
    const keyPart = parent?.isMap ? { keyStart: parent.keyStart, keyEnd: parent.keyEnd } : {};
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      ranges.set(pointer, { start, end, ...keyPart });
      stack.push(newFrame(pointer, event.type === EVENT_ID.MAPPING, isFlow(event), start));
    } else {
      ranges.set(pointer, { start, end, ...keyPart });
      if (parent) {
        parent.end = Math.max(parent.end, end);
        afterValue(parent);
      }
    }
  }
  return ranges;
}

function newFrame(pointer: string, isMap: boolean, flow: boolean, start: number): Frame {
  return {
    pointer,
    isMap,
    flow,
    index: 0,
    key: undefined,
    keyStart: start,
    keyEnd: start,
    start,
    end: start,
  };
}

function isFlow(event: { readonly style: unknown }): boolean {
  return event.style === COLLECTION_STYLE.FLOW;
}

/**
 * Where a flow collection ends: after its closing bracket, which follows its last entry (or its
 * opening bracket) past white space, commas, `:`/`?` indicators of empty entries and comments.
 * js-yaml's closing event carries no offset. Unchanged if the bracket is not found.
 */
function closingBracket(text: string, frame: Frame): number {
  const close = frame.isMap ? 125 /* } */ : 93; /* ] */
  let p = Math.max(frame.end, frame.start + 1);
  while (p < text.length) {
    const c = text.charCodeAt(p);
    if (c === close) return p + 1;
    if (c === 35 /* # */) {
      const nl = text.indexOf('\n', p);
      if (nl < 0) break;
      p = nl + 1;
      continue;
    }
    if (
      c === 32 ||
      c === 9 ||
      c === 10 ||
      c === 13 ||
      c === 44 /* , */ ||
      c === 58 /* : */ ||
      c === 63 /* ? */
    ) {
      p++;
      continue;
    }
    break;
  }
  return frame.end;
}

function childPointer(parent: Frame): string {
  const segment = parent.isMap ? (parent.key ?? '') : String(parent.index);
  return parent.pointer + formatPointer([segment]);
}

function afterValue(frame: Frame): void {
  if (frame.isMap) frame.key = undefined;
  else frame.index++;
}

function rangeOf(previous: NodeRange | undefined, start: number, end: number): NodeRange {
  return { ...previous, start, end };
}

function eventRange(
  event: Exclude<Event, { type: typeof EVENT_ID.DOCUMENT | typeof EVENT_ID.POP }>,
): [number, number] {
  switch (event.type) {
    case EVENT_ID.SCALAR: {
      const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
      return quoted ? [event.valueStart - 1, event.valueEnd + 1] : [event.valueStart, event.valueEnd];
    }
    case EVENT_ID.ALIAS:
      return [event.anchorStart - 1, event.anchorEnd];
    default:
      return [event.start, event.start + 1];
  }
}
