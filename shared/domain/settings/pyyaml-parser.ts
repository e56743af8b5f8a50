/**
 * A TypeScript port of PyYAML's `parser.py`, `composer.py` and `resolver.py` (PyYAML 6.0, MIT licence,
 * Copyright (c) 2017-2021 Ingy döt Net, Copyright (c) 2006-2016 Kirill Simonov). See pyyaml-scanner.ts for why.
 *
 * The parser turns tokens into PyYAML's events; yaml-loader.ts composes and constructs nodes from them in one pass.
 */
import { Scanner, TOKEN_IDS, YamlSyntaxError, type Mark, type Token, type TokenKind } from './pyyaml-scanner';

export const TAG = {
  null: 'tag:yaml.org,2002:null',
  bool: 'tag:yaml.org,2002:bool',
  int: 'tag:yaml.org,2002:int',
  float: 'tag:yaml.org,2002:float',
  str: 'tag:yaml.org,2002:str',
  timestamp: 'tag:yaml.org,2002:timestamp',
  binary: 'tag:yaml.org,2002:binary',
  merge: 'tag:yaml.org,2002:merge',
  value: 'tag:yaml.org,2002:value',
  seq: 'tag:yaml.org,2002:seq',
  map: 'tag:yaml.org,2002:map',
  omap: 'tag:yaml.org,2002:omap',
  pairs: 'tag:yaml.org,2002:pairs',
  set: 'tag:yaml.org,2002:set',
} as const;

// ---- Resolver ---------------------------------------------------------------------------------------------------

/* PyYAML's implicit resolvers, in registration order. Python's `$` also matches before a final newline: `\n?$`. */
const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)\n?$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\n?$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)\n?$/;
const MERGE_RE = /^(?:<<)\n?$/;
const NULL_RE = /^(?:~|null|Null|NULL|)\n?$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\n?$/;
const VALUE_RE = /^(?:=)\n?$/;

type Resolver = readonly [string, RegExp];
const RESOLVERS_BY_FIRST: Map<string, Resolver[]> = (() => {
  const map = new Map<string, Resolver[]>();
  const add = (tag: string, re: RegExp, first: string[]): void => {
    for (const ch of first) {
      const list = map.get(ch) ?? [];
      list.push([tag, re]);
      map.set(ch, list);
    }
  };
  add(TAG.bool, BOOL_RE, [...'yYnNtTfFoO']);
  add(TAG.float, FLOAT_RE, [...'-+0123456789.']);
  add(TAG.int, INT_RE, [...'-+0123456789']);
  add(TAG.merge, MERGE_RE, ['<']);
  add(TAG.null, NULL_RE, ['~', 'n', 'N', '']);
  add(TAG.timestamp, TIMESTAMP_RE, [...'0123456789']);
  add(TAG.value, VALUE_RE, ['=']);
  return map;
})();

/** PyYAML `Resolver.resolve` for a scalar: the tag of a plain (or `!`-tagged) scalar, else `str`. */
export function resolveScalarTag(value: string, implicitPlain: boolean): string {
  if (implicitPlain) {
    const resolvers = RESOLVERS_BY_FIRST.get(value === '' ? '' : (value[0] ?? ''));
    if (resolvers) {
      for (const [tag, re] of resolvers) if (re.test(value)) return tag;
    }
  }
  return TAG.str;
}

// ---- Parser -----------------------------------------------------------------------------------------------------

export type EventKind =
  | 'stream-start'
  | 'stream-end'
  | 'document-start'
  | 'document-end'
  | 'alias'
  | 'scalar'
  | 'sequence-start'
  | 'sequence-end'
  | 'mapping-start'
  | 'mapping-end';

/** Every event has all fields (one object shape keeps the composer's property accesses fast). */
export interface YamlEvent {
  readonly kind: EventKind;
  readonly start: Mark;
  readonly end: Mark;
  readonly anchor: string | undefined;
  readonly tag: string | undefined;
  /** Scalar: resolve the tag as for a plain scalar; collections: no explicit tag. */
  readonly implicitPlain: boolean;
  readonly value: string | undefined;
  readonly style: string | undefined;
}

function ev(
  kind: EventKind,
  start: Mark,
  end: Mark,
  anchor: string | undefined = undefined,
  tag: string | undefined = undefined,
  implicitPlain = false,
  value: string | undefined = undefined,
  style: string | undefined = undefined,
): YamlEvent {
  return { kind, start, end, anchor, tag, implicitPlain, value, style };
}

const DEFAULT_TAGS: Record<string, string> = { '!': '!', '!!': 'tag:yaml.org,2002:' };

export class Parser {
  private currentEvent: YamlEvent | undefined;
  private tagHandles: Record<string, string> = {};
  private readonly states: (() => YamlEvent)[] = [];
  private readonly marks: Mark[] = [];
  private state: (() => YamlEvent) | undefined;

  constructor(private readonly scanner: Scanner) {
    this.state = this.parseStreamStart;
  }

  checkEvent(kind: EventKind): boolean {
    if (this.currentEvent === undefined && this.state) this.currentEvent = this.state();
    if (this.currentEvent === undefined) return false;
    return this.currentEvent.kind === kind;
  }

  peekEvent(): YamlEvent {
    if (this.currentEvent === undefined && this.state) this.currentEvent = this.state();
    if (this.currentEvent === undefined) throw new YamlSyntaxError(undefined, undefined, 'unexpected end of the event stream', undefined, 'parser');
    return this.currentEvent;
  }

  getEvent(): YamlEvent {
    const event = this.peekEvent();
    this.currentEvent = undefined;
    return event;
  }

  private token(): Token {
    const token = this.scanner.peekToken();
    if (token === undefined) throw new YamlSyntaxError(undefined, undefined, 'unexpected end of the token stream', undefined, 'parser');
    return token;
  }

  private take(): Token {
    const token = this.scanner.getToken();
    if (token === undefined) throw new YamlSyntaxError(undefined, undefined, 'unexpected end of the token stream', undefined, 'parser');
    return token;
  }

  private check(a: TokenKind, b?: TokenKind, c?: TokenKind, d?: TokenKind): boolean {
    return this.scanner.checkToken(a, b, c, d);
  }

  private popState(): () => YamlEvent {
    const state = this.states.pop();
    if (state === undefined) throw new YamlSyntaxError(undefined, undefined, 'internal parser state error', undefined, 'parser');
    return state;
  }

  private lastMark(): Mark | undefined {
    return this.marks[this.marks.length - 1];
  }

  private readonly parseStreamStart = (): YamlEvent => {
    const token = this.take();
    this.state = this.parseImplicitDocumentStart;
    return ev('stream-start', token.start, token.end);
  };

  private readonly parseImplicitDocumentStart = (): YamlEvent => {
    if (!this.check('directive', 'document-start', 'stream-end')) {
      this.tagHandles = DEFAULT_TAGS;
      const token = this.token();
      this.states.push(this.parseDocumentEnd);
      this.state = this.parseBlockNode;
      return ev('document-start', token.start, token.start);
    }
    return this.parseDocumentStart();
  };

  private readonly parseDocumentStart = (): YamlEvent => {
    while (this.check('document-end')) this.take();
    if (!this.check('stream-end')) {
      const start = this.token().start;
      this.processDirectives();
      if (!this.check('document-start')) {
        const token = this.token();
        throw new YamlSyntaxError(undefined, undefined, `expected '<document start>', but found '${TOKEN_IDS[token.kind]}'`, token.start, 'parser');
      }
      const token = this.take();
      this.states.push(this.parseDocumentEnd);
      this.state = this.parseDocumentContent;
      return ev('document-start', start, token.end);
    }
    const token = this.take();
    this.state = undefined;
    return ev('stream-end', token.start, token.end);
  };

  private readonly parseDocumentEnd = (): YamlEvent => {
    const token = this.token();
    const start = token.start;
    let end = token.start;
    if (this.check('document-end')) end = this.take().end;
    this.state = this.parseDocumentStart;
    return ev('document-end', start, end);
  };

  private readonly parseDocumentContent = (): YamlEvent => {
    if (this.check('directive', 'document-start', 'document-end', 'stream-end')) {
      const event = this.emptyScalar(this.token().start);
      this.state = this.popState();
      return event;
    }
    return this.parseBlockNode();
  };

  private processDirectives(): void {
    let yamlVersion: readonly [number, number] | undefined;
    this.tagHandles = {};
    while (this.check('directive')) {
      const token = this.take();
      if (token.directive?.name === 'YAML' && token.directive.yamlVersion) {
        if (yamlVersion !== undefined) throw new YamlSyntaxError(undefined, undefined, 'found duplicate YAML directive', token.start, 'parser');
        if (token.directive.yamlVersion[0] !== 1) {
          throw new YamlSyntaxError(undefined, undefined, 'found incompatible YAML document (version 1.* is required)', token.start, 'parser');
        }
        yamlVersion = token.directive.yamlVersion;
      } else if (token.directive?.name === 'TAG' && token.directive.tagDirective) {
        const [handle, prefix] = token.directive.tagDirective;
        if (Object.hasOwn(this.tagHandles, handle)) throw new YamlSyntaxError(undefined, undefined, `duplicate tag handle '${handle}'`, token.start, 'parser');
        this.tagHandles[handle] = prefix;
      }
    }
    for (const [key, value] of Object.entries(DEFAULT_TAGS)) {
      if (!Object.hasOwn(this.tagHandles, key)) this.tagHandles[key] = value;
    }
  }

  private readonly parseBlockNode = (): YamlEvent => this.parseNode(true, false);
  private readonly parseFlowNode = (): YamlEvent => this.parseNode(false, false);
  private readonly parseBlockNodeOrIndentlessSequence = (): YamlEvent => this.parseNode(true, true);

  private parseNode(block: boolean, indentlessSequence: boolean): YamlEvent {
    if (this.check('alias')) {
      const token = this.take();
      this.state = this.popState();
      return ev('alias', token.start, token.end, token.value);
    }
    let anchor: string | undefined;
    let tagPair: readonly [string | null, string] | undefined;
    let start: Mark | undefined;
    let end: Mark | undefined;
    let tagMark: Mark | undefined;
    if (this.check('anchor')) {
      const token = this.take();
      start = token.start;
      end = token.end;
      anchor = token.value;
      if (this.check('tag')) {
        const tagToken = this.take();
        tagMark = tagToken.start;
        end = tagToken.end;
        tagPair = tagToken.tag;
      }
    } else if (this.check('tag')) {
      const token = this.take();
      start = tagMark = token.start;
      end = token.end;
      tagPair = token.tag;
      if (this.check('anchor')) {
        const anchorToken = this.take();
        end = anchorToken.end;
        anchor = anchorToken.value;
      }
    }
    let tag: string | undefined;
    if (tagPair !== undefined) {
      const [handle, suffix] = tagPair;
      if (handle !== null) {
        const prefix = this.tagHandles[handle];
        if (prefix === undefined || !Object.hasOwn(this.tagHandles, handle)) {
          throw new YamlSyntaxError('while parsing a node', start, `found undefined tag handle '${handle}'`, tagMark, 'parser');
        }
        tag = prefix + suffix;
      } else tag = suffix;
    }
    if (start === undefined) start = end = this.token().start;
    const implicit = tag === undefined || tag === '!';
    if (indentlessSequence && this.check('block-entry')) {
      this.state = this.parseIndentlessSequenceEntry;
      return ev('sequence-start', start, this.token().end, anchor, tag, implicit);
    }
    if (this.check('scalar')) {
      const token = this.take();
      const implicitPlain = (token.plain === true && tag === undefined) || tag === '!';
      this.state = this.popState();
      return ev('scalar', start, token.end, anchor, tag, implicitPlain, token.value ?? '', token.style);
    }
    if (this.check('flow-sequence-start')) {
      this.state = this.parseFlowSequenceFirstEntry;
      return ev('sequence-start', start, this.token().end, anchor, tag, implicit);
    }
    if (this.check('flow-mapping-start')) {
      this.state = this.parseFlowMappingFirstKey;
      return ev('mapping-start', start, this.token().end, anchor, tag, implicit);
    }
    if (block && this.check('block-sequence-start')) {
      this.state = this.parseBlockSequenceFirstEntry;
      return ev('sequence-start', start, this.token().start, anchor, tag, implicit);
    }
    if (block && this.check('block-mapping-start')) {
      this.state = this.parseBlockMappingFirstKey;
      return ev('mapping-start', start, this.token().start, anchor, tag, implicit);
    }
    if (anchor !== undefined || tag !== undefined) {
      this.state = this.popState();
      return ev('scalar', start, end ?? start, anchor, tag, implicit, '');
    }
    const token = this.token();
    throw new YamlSyntaxError(
      `while parsing a ${block ? 'block' : 'flow'} node`,
      start,
      `expected the node content, but found '${TOKEN_IDS[token.kind]}'`,
      token.start,
      'parser',
    );
  }

  private readonly parseBlockSequenceFirstEntry = (): YamlEvent => {
    this.marks.push(this.take().start);
    return this.parseBlockSequenceEntry();
  };

  private readonly parseBlockSequenceEntry = (): YamlEvent => {
    if (this.check('block-entry')) {
      const token = this.take();
      if (!this.check('block-entry', 'block-end')) {
        this.states.push(this.parseBlockSequenceEntry);
        return this.parseBlockNode();
      }
      this.state = this.parseBlockSequenceEntry;
      return this.emptyScalar(token.end);
    }
    if (!this.check('block-end')) {
      const token = this.token();
      throw new YamlSyntaxError('while parsing a block collection', this.lastMark(), `expected <block end>, but found '${TOKEN_IDS[token.kind]}'`, token.start, 'parser');
    }
    const token = this.take();
    this.state = this.popState();
    this.marks.pop();
    return ev('sequence-end', token.start, token.end);
  };

  private readonly parseIndentlessSequenceEntry = (): YamlEvent => {
    if (this.check('block-entry')) {
      const token = this.take();
      if (!this.check('block-entry', 'key', 'value', 'block-end')) {
        this.states.push(this.parseIndentlessSequenceEntry);
        return this.parseBlockNode();
      }
      this.state = this.parseIndentlessSequenceEntry;
      return this.emptyScalar(token.end);
    }
    const token = this.token();
    this.state = this.popState();
    return ev('sequence-end', token.start, token.start);
  };

  private readonly parseBlockMappingFirstKey = (): YamlEvent => {
    this.marks.push(this.take().start);
    return this.parseBlockMappingKey();
  };

  private readonly parseBlockMappingKey = (): YamlEvent => {
    if (this.check('key')) {
      const token = this.take();
      if (!this.check('key', 'value', 'block-end')) {
        this.states.push(this.parseBlockMappingValue);
        return this.parseBlockNodeOrIndentlessSequence();
      }
      this.state = this.parseBlockMappingValue;
      return this.emptyScalar(token.end);
    }
    if (!this.check('block-end')) {
      const token = this.token();
      throw new YamlSyntaxError('while parsing a block mapping', this.lastMark(), `expected <block end>, but found '${TOKEN_IDS[token.kind]}'`, token.start, 'parser');
    }
    const token = this.take();
    this.state = this.popState();
    this.marks.pop();
    return ev('mapping-end', token.start, token.end);
  };

  private readonly parseBlockMappingValue = (): YamlEvent => {
    if (this.check('value')) {
      const token = this.take();
      if (!this.check('key', 'value', 'block-end')) {
        this.states.push(this.parseBlockMappingKey);
        return this.parseBlockNodeOrIndentlessSequence();
      }
      this.state = this.parseBlockMappingKey;
      return this.emptyScalar(token.end);
    }
    this.state = this.parseBlockMappingKey;
    return this.emptyScalar(this.token().start);
  };

  private readonly parseFlowSequenceFirstEntry = (): YamlEvent => {
    this.marks.push(this.take().start);
    return this.parseFlowSequenceEntry(true);
  };

  private readonly parseFlowSequenceEntryNext = (): YamlEvent => this.parseFlowSequenceEntry(false);

  private parseFlowSequenceEntry(first: boolean): YamlEvent {
    if (!this.check('flow-sequence-end')) {
      if (!first) {
        if (this.check('flow-entry')) this.take();
        else {
          const token = this.token();
          throw new YamlSyntaxError('while parsing a flow sequence', this.lastMark(), `expected ',' or ']', but got '${TOKEN_IDS[token.kind]}'`, token.start, 'parser');
        }
      }
      if (this.check('key')) {
        const token = this.token();
        this.state = this.parseFlowSequenceEntryMappingKey;
        return ev('mapping-start', token.start, token.end, undefined, undefined, true);
      }
      if (!this.check('flow-sequence-end')) {
        this.states.push(this.parseFlowSequenceEntryNext);
        return this.parseFlowNode();
      }
    }
    const token = this.take();
    this.state = this.popState();
    this.marks.pop();
    return ev('sequence-end', token.start, token.end);
  }

  private readonly parseFlowSequenceEntryMappingKey = (): YamlEvent => {
    const token = this.take();
    if (!this.check('value', 'flow-entry', 'flow-sequence-end')) {
      this.states.push(this.parseFlowSequenceEntryMappingValue);
      return this.parseFlowNode();
    }
    this.state = this.parseFlowSequenceEntryMappingValue;
    return this.emptyScalar(token.end);
  };

  private readonly parseFlowSequenceEntryMappingValue = (): YamlEvent => {
    if (this.check('value')) {
      const token = this.take();
      if (!this.check('flow-entry', 'flow-sequence-end')) {
        this.states.push(this.parseFlowSequenceEntryMappingEnd);
        return this.parseFlowNode();
      }
      this.state = this.parseFlowSequenceEntryMappingEnd;
      return this.emptyScalar(token.end);
    }
    this.state = this.parseFlowSequenceEntryMappingEnd;
    return this.emptyScalar(this.token().start);
  };

  private readonly parseFlowSequenceEntryMappingEnd = (): YamlEvent => {
    this.state = this.parseFlowSequenceEntryNext;
    const token = this.token();
    return ev('mapping-end', token.start, token.start);
  };

  private readonly parseFlowMappingFirstKey = (): YamlEvent => {
    this.marks.push(this.take().start);
    return this.parseFlowMappingKey(true);
  };

  private readonly parseFlowMappingKeyNext = (): YamlEvent => this.parseFlowMappingKey(false);

  private parseFlowMappingKey(first: boolean): YamlEvent {
    if (!this.check('flow-mapping-end')) {
      if (!first) {
        if (this.check('flow-entry')) this.take();
        else {
          const token = this.token();
          throw new YamlSyntaxError('while parsing a flow mapping', this.lastMark(), `expected ',' or '}', but got '${TOKEN_IDS[token.kind]}'`, token.start, 'parser');
        }
      }
      if (this.check('key')) {
        const token = this.take();
        if (!this.check('value', 'flow-entry', 'flow-mapping-end')) {
          this.states.push(this.parseFlowMappingValue);
          return this.parseFlowNode();
        }
        this.state = this.parseFlowMappingValue;
        return this.emptyScalar(token.end);
      }
      if (!this.check('flow-mapping-end')) {
        this.states.push(this.parseFlowMappingEmptyValue);
        return this.parseFlowNode();
      }
    }
    const token = this.take();
    this.state = this.popState();
    this.marks.pop();
    return ev('mapping-end', token.start, token.end);
  }

  private readonly parseFlowMappingValue = (): YamlEvent => {
    if (this.check('value')) {
      const token = this.take();
      if (!this.check('flow-entry', 'flow-mapping-end')) {
        this.states.push(this.parseFlowMappingKeyNext);
        return this.parseFlowNode();
      }
      this.state = this.parseFlowMappingKeyNext;
      return this.emptyScalar(token.end);
    }
    this.state = this.parseFlowMappingKeyNext;
    return this.emptyScalar(this.token().start);
  };

  private readonly parseFlowMappingEmptyValue = (): YamlEvent => {
    this.state = this.parseFlowMappingKeyNext;
    return this.emptyScalar(this.token().start);
  };

  private emptyScalar(mark: Mark): YamlEvent {
    return ev('scalar', mark, mark, undefined, undefined, true, '');
  }
}
