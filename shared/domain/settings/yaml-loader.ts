/**
 * Loads one YAML document exactly as PyYAML `yaml.safe_load` (YAML 1.1 with PyYAML's own resolver) and keeps the
 * position of every node. Syntax comes from a port of PyYAML (pyyaml-scanner.ts, pyyaml-parser.ts); this module does
 * PyYAML's construction step: scalar values (`0123` octal, `1:30` sexagesimal, `2024-01-31` a date, `y` a string,
 * ...), merge keys (`<<`), unhashable keys, and what PyYAML would fail on while constructing (an invalid date, `0b_`,
 * an unknown tag). Aliases are the same node object as their anchor, so `toValue` shares values exactly as Python does.
 *
 * Refused on purpose, beyond PyYAML: alias bombs (aliases that expand past the node limit), recursive aliases,
 * `!!set`/`!!omap`/`!!pairs` (SPA never needs them; spa-cd cannot represent them faithfully), and the limits of
 * limits.ts. Never throws.
 */
import type { Diagnostic } from './diagnostics';
import { LIMITS } from './limits';
import { Parser, resolveScalarTag, TAG } from './pyyaml-parser';
import { Scanner, YamlSyntaxError, type Mark } from './pyyaml-scanner';
import { PyDict, PyFloat, PyList, pyKeyId, pyStr, pyStrip, setOwn, TIMESTAMP_PARTS, type PyScalar, type PyValue } from './python-values';
import { YamlBinary, YamlTimestamp, type SettingsMapping, type SettingsValue } from './settings-value';
import type { YamlMappingEntry, YamlMappingNode, YamlNode, YamlScalarNode, YamlSequenceNode } from './yaml-node';

/** The Python type of a loaded scalar (`int` and `float` are both JS numbers). */
export type PyScalarType = 'NoneType' | 'bool' | 'int' | 'float' | 'str' | 'date' | 'datetime' | 'bytes';

/** A scalar node as this loader produces it: the YamlScalarNode plus its Python type. */
export interface LoadedScalarNode extends YamlScalarNode {
  readonly pyType: PyScalarType;
  /** True for a quoted or block scalar (always a string unless explicitly tagged). */
  readonly quoted: boolean;
  /** The scalar as written, for values that are not strings (`012345678901` read as an int, `yes` as a bool). */
  readonly text: string | undefined;
}

export interface YamlLoadResult {
  readonly diagnostics: Diagnostic[];
  /**
   * The document's root, undefined only after a syntax error or a broken limit. An empty stream gives a null scalar at
   * line 1, column 1 (PyYAML returns None). Nodes that could not be constructed are null scalars (an error says why).
   */
  readonly root?: YamlNode;
  /**
   * How many dates, datetimes and binary values were constructed (values or keys, aliases counted once): when 0, no
   * value of the document can break `json.dumps`, and the checks for it can skip their walk.
   */
  readonly datesAndBinaries: number;
  /** How many mapping keys (at any depth, merged keys included) are not strings: when 0, no key needs a warning. */
  readonly nonStringKeys: number;
  /** How many aliases (*name) the document uses: when 0, every node is reached once (see toPython). */
  readonly aliases: number;
}

/** Codes this module can emit (merged into SETTINGS_CODES). */
export const YAML_CODES = {
  'yaml-syntax-error': { severity: 'error', summary: 'The file is not valid YAML for PyYAML: SPA would stop while reading it.' },
  'yaml-non-printable': { severity: 'error', summary: 'The file contains a control or non-printable character PyYAML refuses.' },
  'yaml-multiple-documents': { severity: 'error', summary: 'The file holds more than one YAML document; SPA reads exactly one.' },
  'yaml-duplicate-anchor': { severity: 'error', summary: 'An anchor name (&name) is defined twice; PyYAML refuses it.' },
  'yaml-undefined-alias': { severity: 'error', summary: 'An alias (*name) refers to no anchor defined before it.' },
  'yaml-duplicate-key': { severity: 'warning', summary: 'A key appears twice in one mapping; PyYAML keeps the last value.' },
  'yaml-unknown-tag': { severity: 'error', summary: 'A tag (!name) that PyYAML safe_load cannot construct.' },
  'yaml-unsupported-tag': { severity: 'error', summary: 'A !!set, !!omap or !!pairs tag, which spa-cd does not support in settings.' },
  'yaml-invalid-value': { severity: 'error', summary: 'A value PyYAML fails to construct (an impossible date, a malformed number, ...).' },
  'yaml-unhashable-key': { severity: 'error', summary: 'A list or mapping used as a mapping key; PyYAML refuses it.' },
  'yaml-invalid-merge': { severity: 'error', summary: 'A merge key (<<) whose value is not a mapping or a list of mappings.' },
  'yaml-recursive-alias': { severity: 'error', summary: 'An alias refers to a collection that contains it.' },
  'yaml-too-many-aliases': { severity: 'error', summary: 'More aliases (*name) than spa-cd accepts in one file.' },
  'yaml-alias-bomb': { severity: 'error', summary: 'Aliases that expand to more nodes than spa-cd accepts (an alias bomb).' },
  'yaml-too-deep': { severity: 'error', summary: 'Collections nested deeper than spa-cd accepts.' },
  'yaml-too-many-nodes': { severity: 'error', summary: 'More YAML nodes than spa-cd accepts in one file.' },
} as const;

type YamlCode = keyof typeof YAML_CODES;

// read once: a property read through the module namespace on every node shows in profiles
const MAX_NODES: number = LIMITS.maxYamlNodes;
const MAX_ALIASES: number = LIMITS.maxYamlAliases;
const MAX_DEPTH: number = LIMITS.maxYamlDepth;

export function loadYaml(file: string, text: string): YamlLoadResult {
  try {
    return new Composer(file, text).load();
  } catch (error) {
    if (error instanceof YamlSyntaxError) return { diagnostics: [syntaxDiagnostic(file, error)], datesAndBinaries: 0, nonStringKeys: 0, aliases: 0 };
    return {
      datesAndBinaries: 0,
      nonStringKeys: 0,
      aliases: 0,
      diagnostics: [
        {
          file,
          line: 1,
          column: 1,
          severity: 'error',
          code: 'yaml-syntax-error',
          message: `spa-cd could not read this YAML file (${error instanceof Error ? error.message : String(error)}); SPA would most likely fail too`,
          hint: 'check the file with `python3 -c "import yaml,sys; yaml.safe_load(open(sys.argv[1]))" <file>`',
        },
      ],
    };
  }
}

/** What loadPython gives for a common document: its Python value and YamlLoadResult's counts. */
export interface PythonLoad {
  readonly value: PyDict;
  readonly datesAndBinaries: number;
}

/**
 * `toPython(loadYaml(file, text).root)` for the common settings file, built straight from the parser's events without
 * the node tree (some 400,000 objects for 10,000 accounts): a mapping at the top, no anchor, alias, tag or merge key,
 * no key that is not a string, no duplicate key, nothing PyYAML would refuse or warn about. Undefined for any other
 * document: the caller then takes loadYaml and toPython, which also say what is wrong (the work done here is lost,
 * which happens only for a file with a problem or one of those rarer features). The value equals what toPython gives
 * (same entries, order, positions and sources; nothing is aliased), and loadYaml would report no diagnostic.
 */
export function loadPython(file: string, text: string): PythonLoad | undefined {
  try {
    return new Composer(file, text).loadPython();
  } catch {
    return undefined;
  }
}

/** The Python type of a scalar node (reads `pyType` when the node came from this loader). */
export function scalarPyType(node: YamlScalarNode): PyScalarType {
  const loaded = node as Partial<LoadedScalarNode>;
  if (loaded.pyType !== undefined) return loaded.pyType;
  const value = node.value;
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (value instanceof YamlTimestamp) return value.hasTime ? 'datetime' : 'date';
  if (value instanceof YamlBinary) return 'bytes';
  return 'NoneType';
}

/** The Python value of a scalar node as a PyScalar (a float becomes a PyFloat). */
export function scalarToPy(node: YamlScalarNode): PyScalar {
  const value = node.value;
  if (typeof value === 'number' && scalarPyType(node) === 'float') return new PyFloat(value);
  if (Array.isArray(value) || (typeof value === 'object' && value !== null && !(value instanceof YamlTimestamp) && !(value instanceof YamlBinary))) {
    return null;
  }
  return value;
}

const valueMemo = new WeakMap<YamlNode, SettingsValue>();

/** The value Python holds for a node: last duplicate key wins (in the place of the first), aliases stay shared. */
export function toValue(node: YamlNode): SettingsValue {
  if (node.kind === 'scalar') return node.value;
  const known = valueMemo.get(node);
  if (known !== undefined) return known;
  if (node.kind === 'sequence') {
    const array: SettingsValue[] = [];
    valueMemo.set(node, array);
    for (const item of node.items) array.push(toValue(item));
    return array;
  }
  const mapping: SettingsMapping = {};
  valueMemo.set(node, mapping);
  const keys = new Map<string, string>();
  for (const entry of node.entries) {
    const key = entry.key;
    let name: string;
    if (key.kind === 'scalar' && typeof key.value === 'string') name = key.value;
    else {
      const py = key.kind === 'scalar' ? scalarToPy(key) : null;
      const id = pyKeyId(py);
      const first = keys.get(id);
      name = first ?? pyStr(py);
      keys.set(id, name);
    }
    setOwn(mapping, name, toValue(entry.value));
  }
  return mapping;
}

/**
 * The Python object model of a node (PyDict, PyList, PyFloat) with positions; aliases stay the same object (and are
 * marked `aliased`). Equal string keys share one string (`identifier` of 10,000 accounts is then one string, not
 * 10,000). `aliases: false` says the document has no alias (YamlLoadResult.aliases is 0): every node is then reached
 * once (a merge key copies entries of its mapping, which nothing else reaches), and no node needs remembering.
 */
export function toPython(node: YamlNode, options: { readonly aliases?: boolean } = {}): PyValue {
  return pythonOf(node, new Map<string, string>(), options.aliases === false ? undefined : new Map<YamlNode, PyDict | PyList>());
}

function pythonOf(node: YamlNode, keys: Map<string, string>, seen: Map<YamlNode, PyDict | PyList> | undefined): PyValue {
  if (node.kind === 'scalar') return scalarToPy(node);
  const known = seen?.get(node);
  if (known !== undefined) {
    known.aliased = true;
    return known;
  }
  const at = { line: node.line, column: node.column };
  if (node.kind === 'sequence') {
    const list = new PyList([], [], at);
    seen?.set(node, list);
    for (const item of node.items) {
      list.items.push(pythonOf(item, keys, seen));
      list.itemsAt.push({ line: item.line, column: item.column });
    }
    return list;
  }
  const dict = new PyDict(at);
  seen?.set(node, dict);
  for (const entry of node.entries) {
    let key = entry.key.kind === 'scalar' ? scalarToPy(entry.key) : null;
    if (typeof key === 'string' && key.length <= MAX_SHARED_KEY) {
      const shared = keys.get(key);
      if (shared === undefined) keys.set(key, key);
      else key = shared;
    }
    const source = entry.value.kind === 'scalar' ? (entry.value as Partial<LoadedScalarNode>).text : undefined;
    dict.setAt(key, pythonOf(entry.value, keys, seen), entry.key.line, entry.key.column, entry.value.line, entry.value.column, undefined, source);
  }
  return dict;
}

/** Stands for any string scalar read by pythonNode (its pyType is all pythonNode's caller needs; no text kept). */
const STRING_SCALAR: LoadedScalarNode = { kind: 'scalar', value: '', line: 0, column: 0, pyType: 'str', quoted: false, text: undefined };

/** What pythonNode returns for a node that is not common (see loadPython). */
const NOT_COMMON = Symbol('not common');

/** Longer string keys are not shared by toPython (they are rarely repeated; the table stays small). */
const MAX_SHARED_KEY = 64;

// ---- Diagnostics ---------------------------------------------------------------------------------------------------

function diag(file: string, mark: Mark, code: YamlCode, message: string, hint?: string): Diagnostic {
  const d: Diagnostic = { file, line: mark.line + 1, column: mark.column + 1, severity: YAML_CODES[code].severity, code, message };
  return hint === undefined ? d : { ...d, hint };
}

function syntaxDiagnostic(file: string, error: YamlSyntaxError): Diagnostic {
  const at = error.problemMark ?? error.contextMark ?? { line: 0, column: 0 };
  const where = error.contextMark && error.context ? ` (${error.context} started at line ${error.contextMark.line + 1}, column ${error.contextMark.column + 1})` : error.context ? ` (${error.context})` : '';
  const problem = error.problem;
  let code: YamlCode = 'yaml-syntax-error';
  let hint: string | undefined;
  let message = `SPA would stop reading the settings with a YAML error: ${problem}${where}`;
  if (error.kind === 'reader') {
    code = 'yaml-non-printable';
    hint = 'remove the character (often pasted from a word processor or a terminal), or write it as an escape in double quotes';
  } else if (error.kind === 'recursive') {
    code = 'yaml-recursive-alias';
    message = `spa-cd refuses this file: ${problem}`;
    hint = 'replace the alias with a copy of the values it needs';
  } else if (error.kind === 'alias-bomb') {
    code = 'yaml-alias-bomb';
    message = `spa-cd refuses this file: ${problem}`;
    hint = 'write the values out, or use fewer nested aliases';
  } else if (error.kind === 'limit') {
    code = problem.includes('aliases') ? 'yaml-too-many-aliases' : problem.includes('nested') ? 'yaml-too-deep' : 'yaml-too-many-nodes';
    message = `spa-cd refuses this file: ${problem}`;
    hint = code === 'yaml-too-many-aliases' ? 'write values out instead of repeating aliases' : 'split or simplify the file';
  } else if (problem.startsWith('found undefined alias')) {
    code = 'yaml-undefined-alias';
    hint = 'define the anchor (&name) before the alias (*name) that uses it';
  } else if (problem === 'second occurrence') {
    code = 'yaml-duplicate-anchor';
    message = `SPA would stop reading the settings with a YAML error: ${error.context ?? 'found duplicate anchor'} at line ${(error.contextMark?.line ?? 0) + 1}, second occurrence here`;
    hint = 'give each anchor (&name) a unique name';
  } else if (problem === 'but found another document') {
    code = 'yaml-multiple-documents';
    message = 'SPA would stop reading the settings: expected a single document in the stream, but found another document';
    hint = 'remove the second document marker (---) and what follows, or merge the documents';
  } else if (problem === 'mapping values are not allowed here') {
    hint = "a ': ' inside an unquoted value starts a mapping: quote the value (note: 'owner: Alice'), or fix the indentation";
  } else if (problem === "could not find expected ':'") {
    hint = "a key lacks its ':' or a value continues on the next line without indentation";
  } else if (problem.includes("'\\t' that cannot start any token")) {
    hint = 'YAML does not allow tabs for indentation: use spaces';
  } else if (problem.startsWith('expected <block end>')) {
    hint = 'check the indentation of this line against the lines above';
  } else if (problem.startsWith('found unknown escape character')) {
    hint = 'in double quotes write a backslash as \\\\, or use single quotes';
  } else if (problem === 'found unexpected end of stream') {
    hint = 'a quote is not closed';
  }
  const d: Diagnostic = { file, line: at.line + 1, column: at.column + 1, severity: 'error', code, message };
  return hint === undefined ? d : { ...d, hint };
}

// ---- Composition and construction ---------------------------------------------------------------------------

const BOOL_VALUES: Record<string, boolean> = { yes: true, no: false, true: true, false: false, on: true, off: false };

interface Anchor {
  readonly node: YamlNode;
  /** Size with aliases expanded. */
  size: number;
  /** A collection still being composed: an alias to it would make a recursive structure. */
  open: boolean;
  readonly start: Mark;
}

interface Pair {
  readonly key: YamlNode;
  readonly value: YamlNode;
  readonly keyStart: Mark;
  readonly valueStart: Mark;
}

/**
 * PyYAML's Composer (`get_single_node`) and SafeConstructor fused into one pass over the parser's events: scalars are
 * constructed as soon as they are read, merge keys applied when their mapping ends. A syntax error anywhere wins over
 * construction problems (PyYAML composes the whole document before constructing), so those are held until the end.
 */
class Composer {
  private readonly parser: Parser;
  private anchors = new Map<string, Anchor>();
  private readonly held: Diagnostic[] = [];
  private nodeCount = 0;
  private aliasCount = 0;
  private depth = 0;
  /** Expanded size of the node composeNode returned last (avoids allocating a tuple per node). */
  private lastSize = 0;
  /** Scalars tagged `!!merge` (plain `<<`) or `!!value` (plain `=`): only meaningful as mapping keys. */
  private readonly mergeKeys = new WeakSet<YamlNode>();
  private readonly valueKeys = new WeakSet<YamlNode>();
  /** How many merge/value keys were read: the checks for them are skipped while there are none. */
  private markers = 0;
  /** See YamlLoadResult. */
  private datesAndBinaries = 0;
  private nonStringKeys = 0;
  /** The scalar node pythonNode read last (undefined after a collection). */
  private pythonScalar: LoadedScalarNode | undefined = undefined;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    this.parser = new Parser(new Scanner(text));
  }

  load(): YamlLoadResult {
    const parser = this.parser;
    parser.getEvent(); // stream start
    let root: YamlNode | undefined;
    let rootStart: Mark | undefined;
    if (!parser.checkEvent('stream-end')) {
      parser.getEvent(); // document start
      rootStart = parser.peekEvent().start;
      root = this.valueNode(this.composeNode(), rootStart);
      parser.getEvent(); // document end
      this.anchors = new Map();
    }
    if (!parser.checkEvent('stream-end')) {
      const event = parser.getEvent();
      throw new YamlSyntaxError('expected a single document in the stream', rootStart, 'but found another document', event.start, 'composer');
    }
    parser.getEvent();
    return { diagnostics: this.held, root: root ?? nullNode({ line: 0, column: 0 }), datesAndBinaries: this.datesAndBinaries, nonStringKeys: this.nonStringKeys, aliases: this.aliasCount };
  }

  /** See loadPython: undefined as soon as the document is not a common one. May throw YamlSyntaxError. */
  loadPython(): PythonLoad | undefined {
    const parser = this.parser;
    parser.getEvent(); // stream start
    if (parser.checkEvent('stream-end')) return undefined;
    parser.getEvent(); // document start
    if (!parser.checkEvent('mapping-start')) return undefined;
    const value = this.pythonNode(new Map<string, string>());
    if (!(value instanceof PyDict)) return undefined;
    parser.getEvent(); // document end
    if (!parser.checkEvent('stream-end')) return undefined;
    return { value, datesAndBinaries: this.datesAndBinaries };
  }

  /**
   * composeNode and toPython in one step for a common node; NOT_COMMON for anything else. After a scalar,
   * `pythonScalar` (read through lastScalar) tells the caller its pyType (a mapping key must be a str) and the text as
   * written that toPython keeps as an entry's `source`.
   */
  private pythonNode(keys: Map<string, string>): PyValue | typeof NOT_COMMON {
    const parser = this.parser;
    const event = parser.peekEvent();
    if (event.kind === 'alias' || event.anchor !== undefined || event.tag !== undefined) return NOT_COMMON;
    parser.getEvent();
    this.countNode(event.start);
    const line = event.start.line + 1;
    const column = event.start.column + 1;
    if (event.kind === 'scalar') {
      const tag = resolveScalarTag(event.value ?? '', event.implicitPlain === true);
      if (tag === TAG.str) {
        // most scalars: the text itself, no node to make
        this.pythonScalar = STRING_SCALAR;
        return event.value ?? '';
      }
      if (tag === TAG.merge || tag === TAG.value) return NOT_COMMON;
      const held = this.held.length;
      const node = this.constructScalar(tag, event.value ?? '', event.style, event.start) as LoadedScalarNode;
      if (this.held.length !== held) return NOT_COMMON;
      this.pythonScalar = node;
      return scalarToPy(node);
    }
    if (event.kind !== 'sequence-start' && event.kind !== 'mapping-start') return NOT_COMMON;
    this.depth += 1;
    if (this.depth > MAX_DEPTH) return NOT_COMMON;
    const at = { line, column };
    let result: PyDict | PyList;
    if (event.kind === 'sequence-start') {
      const list = new PyList([], [], at);
      while (!parser.checkEvent('sequence-end')) {
        const start = parser.peekEvent().start;
        const item = this.pythonNode(keys);
        if (item === NOT_COMMON) return NOT_COMMON;
        list.items.push(item);
        list.itemsAt.push({ line: start.line + 1, column: start.column + 1 });
      }
      result = list;
    } else {
      const dict = new PyDict(at);
      while (!parser.checkEvent('mapping-end')) {
        const keyStart = parser.peekEvent().start;
        this.pythonScalar = undefined;
        let key = this.pythonNode(keys);
        if (typeof key !== 'string' || this.lastScalar()?.pyType !== 'str' || dict.has(pyKeyId(key))) return NOT_COMMON;
        if (key.length <= MAX_SHARED_KEY) {
          const shared = keys.get(key);
          if (shared === undefined) keys.set(key, key);
          else key = shared;
        }
        const valueStart = parser.peekEvent().start;
        this.pythonScalar = undefined;
        const value = this.pythonNode(keys);
        if (value === NOT_COMMON) return NOT_COMMON;
        const source = this.lastScalar()?.text;
        dict.setAt(key, value, keyStart.line + 1, keyStart.column + 1, valueStart.line + 1, valueStart.column + 1, undefined, source);
      }
      result = dict;
    }
    parser.getEvent(); // collection end
    this.depth -= 1;
    this.pythonScalar = undefined;
    return result;
  }

  private lastScalar(): LoadedScalarNode | undefined {
    return this.pythonScalar;
  }

  private hold(mark: Mark, code: YamlCode, message: string, hint?: string): void {
    this.held.push(diag(this.file, mark, code, message, hint));
  }

  /** A merge or value key used where a value belongs: PyYAML has no constructor for it. */
  private valueNode(node: YamlNode, start: Mark): YamlNode {
    if (this.markers > 0 && node.kind === 'scalar' && (this.mergeKeys.has(node) || this.valueKeys.has(node))) {
      const text = node.value === '<<' ? '<<' : '=';
      const tag = text === '<<' ? TAG.merge : TAG.value;
      this.hold(start, 'yaml-unknown-tag', `PyYAML safe_load cannot construct the tag '${tag}' of the plain value ${text} ("could not determine a constructor")`, `quote the value ('${text}') to keep it as text`);
      return nullNode(start);
    }
    return node;
  }

  private countNode(mark: Mark): void {
    this.nodeCount += 1;
    if (this.nodeCount > MAX_NODES) {
      throw new YamlSyntaxError(undefined, undefined, `more than ${MAX_NODES.toLocaleString('en-US')} YAML nodes`, mark, 'limit');
    }
  }

  private composeNode(): YamlNode {
    const parser = this.parser;
    if (parser.checkEvent('alias')) {
      const event = parser.getEvent();
      this.aliasCount += 1;
      if (this.aliasCount > MAX_ALIASES) {
        throw new YamlSyntaxError(undefined, undefined, `more than ${MAX_ALIASES} aliases (*name)`, event.start, 'limit');
      }
      const anchor = this.anchors.get(event.anchor ?? '');
      if (anchor === undefined) throw new YamlSyntaxError(undefined, undefined, `found undefined alias '${event.anchor ?? ''}'`, event.start, 'composer');
      if (anchor.open) {
        throw new YamlSyntaxError(undefined, undefined, `the alias *${event.anchor ?? ''} refers to a collection that contains it (a recursive structure)`, event.start, 'recursive');
      }
      this.lastSize = anchor.size;
      return anchor.node;
    }
    const event = parser.peekEvent();
    const anchorName = event.anchor;
    if (anchorName !== undefined) {
      const previous = this.anchors.get(anchorName);
      if (previous !== undefined) {
        throw new YamlSyntaxError(`found duplicate anchor '${anchorName}'; first occurrence`, previous.start, 'second occurrence', event.start, 'composer');
      }
    }
    parser.getEvent();
    this.countNode(event.start);
    if (event.kind === 'scalar') {
      let tag = event.tag;
      if (tag === undefined || tag === '!') tag = resolveScalarTag(event.value ?? '', event.implicitPlain === true);
      const node = this.constructScalar(tag, event.value ?? '', event.style, event.start);
      if (anchorName !== undefined) this.anchors.set(anchorName, { node, size: 1, open: false, start: event.start });
      this.lastSize = 1;
      return node;
    }
    if (event.kind !== 'sequence-start' && event.kind !== 'mapping-start') {
      throw new YamlSyntaxError(undefined, undefined, `unexpected ${event.kind} event`, event.start, 'composer');
    }
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw new YamlSyntaxError(undefined, undefined, `collections nested more than ${MAX_DEPTH} levels deep`, event.start, 'limit');
    }
    const line = event.start.line + 1;
    const column = event.start.column + 1;
    const tag = event.tag === undefined || event.tag === '!' ? (event.kind === 'sequence-start' ? TAG.seq : TAG.map) : event.tag;
    let size = 1;
    let result: YamlNode;
    if (event.kind === 'sequence-start') {
      const items: YamlNode[] = [];
      const sequence: YamlSequenceNode = { kind: 'sequence', line, column, items };
      const anchor: Anchor | undefined = anchorName === undefined ? undefined : { node: sequence, size: 0, open: true, start: event.start };
      if (anchor !== undefined && anchorName !== undefined) this.anchors.set(anchorName, anchor);
      while (!parser.checkEvent('sequence-end')) {
        const start = parser.peekEvent().start;
        items.push(this.valueNode(this.composeNode(), start));
        size += this.lastSize;
      }
      result = sequence;
      if (anchor !== undefined) {
        anchor.open = false;
        anchor.size = size;
      }
    } else {
      const entries: YamlMappingEntry[] = [];
      const mapping: YamlMappingNode = { kind: 'mapping', line, column, entries };
      const anchor: Anchor | undefined = anchorName === undefined ? undefined : { node: mapping, size: 0, open: true, start: event.start };
      if (anchor !== undefined && anchorName !== undefined) this.anchors.set(anchorName, anchor);
      let special: Pair[] | undefined;
      while (!parser.checkEvent('mapping-end')) {
        const keyStart = parser.peekEvent().start;
        const key = this.composeNode();
        size += this.lastSize;
        const valueStart = parser.peekEvent().start;
        const value = this.composeNode();
        size += this.lastSize;
        if (key.kind !== 'scalar' || (this.markers > 0 && (this.mergeKeys.has(key) || this.valueKeys.has(value) || this.mergeKeys.has(value)))) {
          special ??= entries.map((e) => ({ key: e.key, value: e.value, keyStart: nodeMark(e.key), valueStart: nodeMark(e.value) }));
          special.push({ key, value, keyStart, valueStart });
        } else if (special) special.push({ key, value, keyStart, valueStart });
        else entries.push({ key, value });
      }
      if (special) {
        entries.length = 0;
        this.constructMapping(special, entries);
      } else this.checkDuplicateKeys(entries);
      for (const entry of entries) if (entry.key.kind !== 'scalar' || scalarPyType(entry.key) !== 'str') this.nonStringKeys += 1;
      result = mapping;
      if (anchor !== undefined) {
        anchor.open = false;
        anchor.size = size;
      }
    }
    parser.getEvent(); // collection end
    this.depth -= 1;
    if (size > MAX_NODES) {
      throw new YamlSyntaxError(
        undefined,
        undefined,
        `aliases in this collection expand to more than ${MAX_NODES.toLocaleString('en-US')} values (an "alias bomb"); spa-cd refuses to expand it`,
        event.start,
        'alias-bomb',
      );
    }
    this.lastSize = size;
    if (tag === TAG.set || tag === TAG.omap || tag === TAG.pairs) {
      this.hold(event.start, 'yaml-unsupported-tag', `the tag ${shortTag(tag)} is valid for PyYAML but spa-cd does not support it in settings`, 'use a plain list or mapping instead');
      return nullNode(event.start);
    }
    const expected = result.kind === 'sequence' ? TAG.seq : TAG.map;
    if (tag !== expected) {
      if (isScalarTag(tag)) this.hold(event.start, 'yaml-invalid-value', `the tag ${shortTag(tag)} needs a scalar value, but found a ${result.kind}`);
      else if (tag === TAG.seq || tag === TAG.map) this.hold(event.start, 'yaml-invalid-value', `the tag ${shortTag(tag)} does not fit a ${result.kind}`);
      else this.hold(event.start, 'yaml-unknown-tag', `PyYAML safe_load cannot construct the tag '${tag}'`, 'remove the tag: SPA reads plain YAML values only');
      return nullNode(event.start);
    }
    return result;
  }

  /** PyYAML `flatten_mapping` + `construct_mapping`: merged pairs first (earlier sources win), then the mapping's own. */
  private constructMapping(pairs: readonly Pair[], entries: YamlMappingEntry[]): void {
    let merged: YamlMappingEntry[] | undefined;
    for (const pair of pairs) {
      if (!this.mergeKeys.has(pair.key)) continue;
      merged ??= [];
      const source = pair.value;
      if (source.kind === 'mapping') for (const e of source.entries) merged.push(e);
      else if (source.kind === 'sequence') {
        const lists: (readonly YamlMappingEntry[])[] = [];
        let ok = true;
        for (const item of source.items) {
          if (item.kind !== 'mapping') {
            this.hold(
              { line: item.line - 1, column: item.column - 1 },
              'yaml-invalid-merge',
              `a merge key (<<) list may hold only mappings, but found a ${item.kind}`,
              'list only anchored mappings: <<: [*a, *b]',
            );
            ok = false;
            break;
          }
          lists.push(item.entries);
        }
        if (ok) for (let i = lists.length - 1; i >= 0; i -= 1) for (const e of lists[i] ?? []) merged.push(e);
      } else {
        this.hold(pair.valueStart, 'yaml-invalid-merge', 'a merge key (<<) needs a mapping or a list of mappings, but found a scalar', "merge an anchored mapping (<<: *defaults), or quote '<<' to use it as a plain key");
      }
    }
    if (merged) for (const e of merged) entries.push(e);
    const own: YamlMappingEntry[] = [];
    for (const pair of pairs) {
      const key = pair.key;
      if (this.mergeKeys.has(key)) continue;
      if (key.kind !== 'scalar') {
        this.hold(pair.keyStart, 'yaml-unhashable-key', `a ${key.kind} is used as a mapping key; PyYAML stops with "found unhashable key"`, 'use a plain string as key');
        continue;
      }
      own.push({ key, value: this.valueNode(pair.value, pair.valueStart) });
    }
    this.checkDuplicateKeys(own);
    for (const e of own) entries.push(e);
  }

  /** A warning for each key written again in the same mapping (PyYAML keeps the last value). */
  private checkDuplicateKeys(entries: readonly YamlMappingEntry[]): void {
    const n = entries.length;
    if (n < 2) return;
    if (n <= 16) {
      for (let j = 1; j < n; j += 1) {
        const keyJ = entries[j]?.key;
        if (keyJ === undefined || keyJ.kind !== 'scalar') continue;
        const idJ = keyId(keyJ);
        for (let i = 0; i < j; i += 1) {
          const keyI = entries[i]?.key;
          if (keyI !== undefined && keyI.kind === 'scalar' && keyId(keyI) === idJ) {
            this.duplicate(keyJ, keyI);
            break;
          }
        }
      }
      return;
    }
    const seen = new Map<string, YamlNode>();
    for (const { key } of entries) {
      if (key.kind !== 'scalar') continue;
      const id = keyId(key);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, key);
      else this.duplicate(key, first);
    }
  }

  private duplicate(key: YamlScalarNode, first: YamlNode): void {
    this.hold(
      nodeMark(key),
      'yaml-duplicate-key',
      `the key '${pyStr(scalarToPy(key))}' appears again in this mapping (first at line ${first.line}); PyYAML keeps this last value and SPA never sees the first one`,
      'remove one of the two keys',
    );
  }

  /** PyYAML SafeConstructor for one scalar: a problem is held as a diagnostic and the value becomes null. */
  private constructScalar(tag: string, text: string, style: string | undefined, start: Mark): YamlNode {
    const line = start.line + 1;
    const column = start.column + 1;
    const quoted = style !== undefined;
    switch (tag) {
      case TAG.str:
        return scalarNode(text, 'str', line, column, quoted);
      case TAG.null:
        return scalarNode(null, 'NoneType', line, column, quoted, text);
      case TAG.bool: {
        const value = BOOL_VALUES[text.toLowerCase()];
        if (value !== undefined) return scalarNode(value, 'bool', line, column, quoted, text);
        this.hold(start, 'yaml-invalid-value', `'${text}' is not a YAML boolean (PyYAML stops with KeyError)`, 'use true or false');
        return nullNode(start);
      }
      case TAG.int: {
        const value = constructInt(text);
        if (value !== undefined) return scalarNode(value, 'int', line, column, quoted, text);
        this.hold(start, 'yaml-invalid-value', `'${text}' is not an integer PyYAML can read (Python int() fails on it)`, 'quote the value to keep it as text');
        return nullNode(start);
      }
      case TAG.float: {
        const value = constructFloat(text);
        if (value !== undefined) return scalarNode(value, 'float', line, column, quoted, text);
        this.hold(start, 'yaml-invalid-value', `'${text}' is not a float PyYAML can read (Python float() fails on it)`, 'quote the value to keep it as text');
        return nullNode(start);
      }
      case TAG.timestamp: {
        const problem = checkTimestamp(text);
        if (problem === undefined) {
          const hasTime = TIMESTAMP_PARTS.exec(text)?.[4] !== undefined;
          this.datesAndBinaries += 1;
          return scalarNode(new YamlTimestamp(text.replace(/\n$/, ''), hasTime), hasTime ? 'datetime' : 'date', line, column, quoted, text);
        }
        this.hold(start, 'yaml-invalid-value', `'${text}' looks like a date, but ${problem}: PyYAML stops with a ValueError`, 'fix the date, or quote the value to keep it as text');
        return nullNode(start);
      }
      case TAG.binary: {
        const base64 = constructBinary(text);
        if (base64 !== undefined) {
          this.datesAndBinaries += 1;
          return scalarNode(new YamlBinary(base64), 'bytes', line, column, quoted, text);
        }
        this.hold(start, 'yaml-invalid-value', 'this !!binary value is not valid base64 (PyYAML stops with "failed to decode base64 data")');
        return nullNode(start);
      }
      case TAG.merge:
      case TAG.value: {
        const node = scalarNode(tag === TAG.merge ? '<<' : '=', 'str', line, column, quoted);
        (tag === TAG.merge ? this.mergeKeys : this.valueKeys).add(node);
        this.markers += 1;
        return node;
      }
      case TAG.seq:
      case TAG.map:
      case TAG.set:
      case TAG.omap:
      case TAG.pairs:
        this.hold(start, 'yaml-invalid-value', `the tag ${shortTag(tag)} needs a collection, but found a scalar`);
        return nullNode(start);
      default:
        this.hold(start, 'yaml-unknown-tag', `PyYAML safe_load cannot construct the tag '${tag}' ("could not determine a constructor")`, 'remove the tag: SPA reads plain YAML values only');
        return nullNode(start);
    }
  }
}

function scalarNode(value: SettingsValue, pyType: PyScalarType, line: number, column: number, quoted: boolean, text?: string): LoadedScalarNode {
  return { kind: 'scalar', value, line, column, pyType, quoted, text: pyType === 'str' ? undefined : text };
}

function nodeMark(node: YamlNode): Mark {
  return { line: node.line - 1, column: node.column - 1 };
}

function keyId(key: YamlScalarNode): string {
  return pyKeyId(typeof key.value === 'string' ? key.value : scalarToPy(key));
}

function nullNode(mark: Mark): LoadedScalarNode {
  return { kind: 'scalar', value: null, line: mark.line + 1, column: mark.column + 1, pyType: 'NoneType', quoted: false, text: undefined };
}

function isScalarTag(tag: string): boolean {
  return tag === TAG.str || tag === TAG.int || tag === TAG.float || tag === TAG.bool || tag === TAG.null || tag === TAG.timestamp || tag === TAG.binary;
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

// ---- Scalar constructors (PyYAML SafeConstructor) -------------------------------------------------------------

/** Python `int(text, base)` (underscores already removed by the caller); undefined where Python raises. */
function pyInt(text: string, base: number): bigint | undefined {
  let s = pyStrip(text);
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  const prefix = s.slice(0, 2).toLowerCase();
  if ((base === 16 && prefix === '0x') || (base === 8 && prefix === '0o') || (base === 2 && prefix === '0b')) s = s.slice(2);
  if (s === '') return undefined;
  const digits = base === 2 ? /^[01]+$/ : base === 8 ? /^[0-7]+$/ : base === 16 ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return undefined;
  const value = base === 10 ? BigInt(s) : BigInt((base === 16 ? '0x' : base === 8 ? '0o' : '0b') + s);
  return negative ? -value : value;
}

function toNumberOrBig(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** PyYAML `construct_yaml_int`. */
function constructInt(text: string): number | bigint | undefined {
  let value = text.replace(/_/g, '');
  if (value === '') return undefined;
  let sign = 1n;
  if (value[0] === '-') sign = -1n;
  if (value[0] === '+' || value[0] === '-') value = value.slice(1);
  let result: bigint | undefined;
  if (value === '0') return 0;
  if (value.startsWith('0b')) result = pyInt(value.slice(2), 2);
  else if (value.startsWith('0x')) result = pyInt(value.slice(2), 16);
  else if (value[0] === '0') result = pyInt(value, 8);
  else if (value.includes(':')) {
    let total = 0n;
    let base = 1n;
    for (const part of value.split(':').reverse()) {
      const digit = pyInt(part, 10);
      if (digit === undefined) return undefined;
      total += digit * base;
      base *= 60n;
    }
    result = total;
  } else result = pyInt(value, 10);
  return result === undefined ? undefined : toNumberOrBig(sign * result);
}

/** Python `float(text)`. */
function pyFloat(text: string): number | undefined {
  const s = pyStrip(text);
  if (/^[-+]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/i.test(s)) return NaN;
  if (!/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(s)) return undefined;
  return Number(s);
}

/** PyYAML `construct_yaml_float`. */
function constructFloat(text: string): number | undefined {
  let value = text.replace(/_/g, '').toLowerCase();
  if (value === '') return undefined;
  let sign = 1;
  if (value[0] === '-') sign = -1;
  if (value[0] === '+' || value[0] === '-') value = value.slice(1);
  if (value === '.inf') return sign * Infinity;
  if (value === '.nan') return NaN;
  if (value.includes(':')) {
    let total = 0;
    let base = 1;
    for (const part of value.split(':').reverse()) {
      const digit = pyFloat(part);
      if (digit === undefined) return undefined;
      total += digit * base;
      base *= 60;
    }
    return sign * total;
  }
  const parsed = pyFloat(value);
  return parsed === undefined ? undefined : sign * parsed;
}

/** Why Python's datetime would refuse this timestamp, or undefined when it is fine. */
function checkTimestamp(text: string): string | undefined {
  const m = TIMESTAMP_PARTS.exec(text);
  if (!m) return 'it does not have the form YYYY-MM-DD';
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1) return `year ${year} is out of range`;
  if (month < 1 || month > 12) return 'month must be in 1..12';
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
  if (day < 1 || day > days) return 'day is out of range for month';
  if (m[4] === undefined) return undefined;
  if (Number(m[4]) > 23) return 'hour must be in 0..23';
  if (Number(m[5]) > 59) return 'minute must be in 0..59';
  if (Number(m[6]) > 59) return 'second must be in 0..59';
  if (m[9] !== undefined) {
    const minutes = Number(m[10]) * 60 + Number(m[11] ?? 0);
    if (minutes >= 24 * 60) return 'the time zone offset must be strictly between -24 and 24 hours';
  }
  return undefined;
}

/** PyYAML `construct_yaml_binary` (base64.decodebytes, lenient about characters outside the alphabet). */
function constructBinary(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) return undefined;
  const cleaned = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const data = cleaned.split('=')[0] ?? '';
  const padding = cleaned.length - data.length;
  if (data.length % 4 === 1) return undefined;
  if (data.length % 4 !== 0 && padding < 4 - (data.length % 4)) return undefined;
  return cleaned;
}
