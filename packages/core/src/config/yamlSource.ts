import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { StowageError } from '@stowage/plugin-api';
import type { ConfigSource, KeyPath } from './ConfigIssue.js';

export interface ParsedYaml {
  value: unknown;
  source: ConfigSource;
}

/** Parses YAML text keeping positions, so issues can name the line of a key path. */
export function parseYamlSource(text: string, displayFile: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [err] = doc.errors;
  if (err) {
    const line = lineCounter.linePos(err.pos[0]).line;
    throw new StowageError(`invalid YAML: ${err.message.split('\n')[0]}`, {
      code: 'YAML_SYNTAX',
      file: displayFile,
      line,
      hint: 'fix the YAML syntax at that line',
    });
  }
  return {
    value: doc.toJS({ maxAliasCount: 100 }) ?? {},
    source: { file: displayFile, lineOf: (path) => lineOfPath(doc, lineCounter, path) },
  };
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
