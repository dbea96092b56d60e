import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type ParsedNode } from 'yaml';
import type { z } from 'zod';
import { StowageError } from '@stowage/plugin-api';
import { decodeUtf8 } from '../files/decodeUtf8.js';
import { formatKeyPath, type ConfigSource, type KeyPath } from './ConfigIssue.js';
import { fitToSchema, keepWrittenText, pyyamlTags } from './yamlScalars.js';

export interface ParsedYaml {
  value: unknown;
  source: ConfigSource;
}

/** A Stowage config needs about ten levels; deeper nesting is refused before anything recurses over it. */
export const MAX_CONFIG_DEPTH = 64;
/** Aliases (`*name`) expanded in one document: enough for shared blocks, not for an alias bomb. */
const MAX_ALIAS_COUNT = 100;

type Node = ParsedNode | null;
interface Parsed {
  doc: Document.Parsed;
  counter: LineCounter;
  display: string;
}

export interface ParseOptions {
  /**
   * Read the file as a ZenML run config: YAML 1.1 as PyYAML reads it (`yes`/`off` booleans, `<<`
   * merge keys), values fitted to this schema (written text kept where it takes text, `null`
   * dropped where it has no use for it). Without it, plain YAML 1.2.
   */
  schema?: z.ZodType;
}

/** Parses config bytes keeping positions; bytes that are not UTF-8 are refused with line and key path. */
export function parseYamlBytes(bytes: Uint8Array, displayFile: string, options: ParseOptions = {}): ParsedYaml {
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return parseYamlSource(decoded.text, displayFile, options);
  const { line, lossy, offset } = decoded.problem;
  const parsed = parse(lossy, displayFile, options);
  const path = parsed.doc.errors.length ? [] : keyPathAt(parsed.doc.contents, offset);
  throw new StowageError('the config file is not valid UTF-8', {
    code: 'YAML_SYNTAX',
    file: displayFile,
    line,
    keyPath: formatKeyPath(path) || undefined,
    hint: 'save the file as UTF-8 (the value at that line holds bytes of another encoding)',
  });
}

/** Parses YAML text keeping positions, so issues can name the line of a key path. */
export function parseYamlSource(text: string, displayFile: string, options: ParseOptions = {}): ParsedYaml {
  const parsed = parse(text, displayFile, options);
  const { doc, counter } = parsed;
  const [err] = doc.errors;
  if (err) throw syntaxError(parsed, err.message, err.pos[0]);
  // Before the structure checks, so keys are compared as written (`ON` and `on` are two keys).
  if (options.schema) keepWrittenText(doc);
  checkStructure(parsed);
  const value = toValue(parsed);
  return {
    value: (options.schema ? fitToSchema(value, options.schema) : value) ?? {},
    source: { file: displayFile, lineOf: (path) => lineOfPath(doc, counter, path) },
  };
}

function parse(text: string, display: string, options: ParseOptions): Parsed {
  const counter = new LineCounter();
  // uniqueKeys off: yaml finds duplicates with a scan of the mapping per key (100,000 keys took
  // over a minute); checkStructure finds them with a set per mapping instead.
  const pyyaml = options.schema ? { version: '1.1' as const, merge: true, customTags: pyyamlTags } : {};
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: false, ...pyyaml });
  return { doc, counter, display };
}

function syntaxError(p: Parsed, message: string, offset: number): StowageError {
  // The yaml composer recurses per level and reports running out of stack as a syntax error.
  const tooDeep = /call stack/i.test(message);
  return new StowageError(tooDeep ? `invalid YAML: nested more than ${MAX_CONFIG_DEPTH} levels deep` : `invalid YAML: ${message.split('\n')[0]}`, {
    code: 'YAML_SYNTAX',
    file: p.display,
    line: p.counter.linePos(offset).line,
    hint: tooDeep ? 'a Stowage config needs only a few levels of nesting' : 'fix the YAML syntax at that line',
  });
}

function toValue(p: Parsed): unknown {
  try {
    return p.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    const alias = firstAlias(p.doc.contents);
    throw new StowageError(`invalid YAML: aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies`, {
      code: 'YAML_SYNTAX',
      file: p.display,
      line: alias?.range ? p.counter.linePos(alias.range[0]).line : undefined,
      cause: error,
      hint: 'write the values out, or use fewer nested aliases (this is how an "alias bomb" exhausts memory)',
    });
  }
}

/** Every node once, without recursion, with its key path: what the structure checks walk. */
function* nodes(root: Node): Generator<{ node: NonNullable<Node>; path: KeyPath }> {
  const stack: { node: Node; path: KeyPath }[] = [{ node: root, path: [] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, path } = item;
    if (!node) continue;
    yield { node, path };
    // Pushed last to first, so nodes come out in document order.
    if (isMap(node)) for (const pair of [...node.items].reverse()) stack.push({ node: pair.value as Node, path: [...path, keyText(pair.key as Node)] });
    else if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i] as Node, path: [...path, i] });
  }
}

/** Refuses what would break or hang later stages: a duplicate key, nesting deeper than MAX_CONFIG_DEPTH. */
function checkStructure(p: Parsed): void {
  for (const { node, path } of nodes(p.doc.contents)) {
    if (path.length > MAX_CONFIG_DEPTH) throw structureError(p, node, path.slice(0, 3), `nested more than ${MAX_CONFIG_DEPTH} levels deep`, 'a Stowage config needs only a few levels of nesting');
    if (!isMap(node)) continue;
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (isMergeKey(pair.key as Node)) continue;
      if (seen.has(key)) throw structureError(p, pair.key as Node, [...path, keyText(pair.key as Node)], 'duplicate key: the second one would silently replace the first', 'remove one of them');
      seen.add(key);
    }
  }
}

function structureError(p: Parsed, node: Node, path: KeyPath, message: string, hint: string): StowageError {
  return new StowageError(`invalid YAML: ${message}`, {
    code: 'YAML_SYNTAX',
    file: p.display,
    line: node?.range ? p.counter.linePos(node.range[0]).line : undefined,
    keyPath: formatKeyPath(path) || undefined,
    hint,
  });
}

/** `<<`: PyYAML merges every one of them, so a second is not a duplicate. */
function isMergeKey(key: Node): boolean {
  return isScalar(key) && key.source === '<<' && key.type === 'PLAIN';
}

function keyText(key: Node): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function firstAlias(root: Node): NonNullable<Node> | undefined {
  for (const { node } of nodes(root)) {
    if (isAlias(node)) return node;
    if (isMap(node)) for (const pair of node.items) if (isAlias(pair.key)) return pair.key as NonNullable<Node>;
  }
  return undefined;
}

/** The key path of the innermost value whose text holds `offset` (no recursion). */
function keyPathAt(root: Node, offset: number): KeyPath {
  const path: (string | number)[] = [];
  const within = (n: Node | undefined) => !!n?.range && n.range[0] <= offset && offset < n.range[2];
  for (let node: Node = root; node; ) {
    const here: Node = node;
    let next: Node = null;
    if (isMap(here)) {
      const pair = here.items.find((p) => within(p.key as Node) || within(p.value as Node));
      if (pair) path.push(keyText(pair.key as Node));
      if (pair && within(pair.value as Node)) next = pair.value as Node;
    } else if (isSeq(here)) {
      const i = here.items.findIndex((item) => within(item as Node));
      if (i >= 0) path.push(i);
      if (i >= 0) next = here.items[i] as Node;
    }
    node = next;
  }
  return path;
}

/** The line of the key at `path` (or of the nearest ancestor key that exists). */
function lineOfPath(doc: Document, counter: LineCounter, path: KeyPath): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const key = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return counter.linePos(range[0]).line;
    }
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
