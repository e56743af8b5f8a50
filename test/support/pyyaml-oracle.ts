/**
 * Differential oracle: runs PyYAML `yaml.safe_load` (and Python's csv module) in python3 on a batch of inputs and
 * returns a canonical JSON encoding of each result, so tests can compare spa-cd's loaders with the real thing.
 * Tests using it skip (with a console note) when python3 or PyYAML is missing.
 */
import { spawnSync } from 'node:child_process';
import { YamlBinary, YamlTimestamp } from '../../shared/domain/settings/settings-value';
import type { YamlNode } from '../../shared/domain/settings/yaml-node';
import { scalarPyType } from '../../shared/domain/settings/yaml-loader';
import { pyFloatRepr, pyKeyId, pyStr } from '../../shared/domain/settings/python-values';
import { scalarToPy } from '../../shared/domain/settings/yaml-loader';

/** Canonical, type-tagged encoding shared by both sides. */
export type Canonical = null | string | { [tag: string]: unknown } | Canonical[];

const PY_ENCODER = String.raw`
import json, sys, datetime, base64, math
def enc(v, seen=()):
    if v is None: return None
    if isinstance(v, bool): return {"bool": v}
    if isinstance(v, int): return {"int": str(v)}
    if isinstance(v, float): return {"float": repr(v)}
    if isinstance(v, str): return v
    if isinstance(v, datetime.datetime): return {"datetime": str(v)}
    if isinstance(v, datetime.date): return {"date": str(v)}
    if isinstance(v, bytes): return {"bytes": base64.b64encode(v).decode()}
    if id(v) in seen: return {"recursive": True}
    if isinstance(v, list): return [enc(x, seen + (id(v),)) for x in v]
    if isinstance(v, dict): return {"map": [[enc(k), enc(x, seen + (id(v),))] for k, x in v.items()]}
    return {"other": type(v).__name__}
`;

const PY_YAML = `${PY_ENCODER}
import yaml
out = []
for text in json.load(sys.stdin):
    try:
        out.append({"ok": enc(yaml.safe_load(text))})
    except Exception as e:
        out.append({"error": type(e).__name__, "message": str(e).split(chr(10))[0]})
print(json.dumps(out))
`;

const PY_CSV = `
import csv, io, json, sys
out = []
for text in json.load(sys.stdin):
    try:
        stream = io.StringIO(text, newline=None)
        reader = csv.DictReader(stream)
        rows = [[[k, v] for k, v in row.items()] for row in reader]
        out.append({"ok": {"fieldnames": reader.fieldnames, "rows": rows}})
    except Exception as e:
        out.append({"error": type(e).__name__, "message": str(e)})
print(json.dumps(out))
`;

let available: boolean | undefined;

/** True when python3 with PyYAML can run here. */
export function pythonAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('python3', ['-c', 'import yaml, csv'], { encoding: 'utf8' });
    available = probe.status === 0;
    if (!available) console.warn('python3 with PyYAML is missing: the differential tests against PyYAML are skipped');
  }
  return available;
}

function runPython<T>(script: string, inputs: readonly string[]): T[] {
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(inputs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T[];
}

export type PyYamlOutcome = { ok: Canonical } | { error: string; message: string };
export type PyCsvOutcome = { ok: { fieldnames: string[] | null; rows: [string | null, string | string[] | null][][] } } | { error: string; message: string };

export function pyyamlSafeLoad(inputs: readonly string[]): PyYamlOutcome[] {
  return runPython<PyYamlOutcome>(PY_YAML, inputs);
}

/** Python's csv.DictReader over a text stream opened with universal newlines (as SPA's `open(file)`). */
export function pythonDictReader(inputs: readonly string[]): PyCsvOutcome[] {
  return runPython<PyCsvOutcome>(PY_CSV, inputs);
}

/** The same canonical encoding for a node loaded by spa-cd. */
export function canonicalOfNode(node: YamlNode, seen: Set<YamlNode> = new Set()): Canonical {
  if (node.kind === 'scalar') {
    const v = node.value;
    const type = scalarPyType(node);
    if (v === null) return null;
    if (typeof v === 'boolean') return { bool: v };
    if (type === 'float' && typeof v === 'number') return { float: pyFloatRepr(v) };
    if (typeof v === 'number' || typeof v === 'bigint') return { int: String(v) };
    if (typeof v === 'string') return v;
    if (v instanceof YamlTimestamp) return v.hasTime ? { datetime: pyStr(v) } : { date: pyStr(v) };
    if (v instanceof YamlBinary) return { bytes: Buffer.from(v.base64, 'base64').toString('base64') };
    return { other: typeof v };
  }
  if (seen.has(node)) return { recursive: true };
  const inner = new Set(seen).add(node);
  if (node.kind === 'sequence') return node.items.map((item) => canonicalOfNode(item, inner));
  const order: string[] = [];
  const byId = new Map<string, [Canonical, Canonical]>();
  for (const { key, value } of node.entries) {
    const id = key.kind === 'scalar' ? pyKeyId(scalarToPy(key)) : `\0${order.length}`;
    const existing = byId.get(id);
    if (existing) existing[1] = canonicalOfNode(value, inner);
    else {
      order.push(id);
      byId.set(id, [canonicalOfNode(key, inner), canonicalOfNode(value, inner)]);
    }
  }
  return { map: order.map((id) => byId.get(id) ?? [null, null]) };
}
