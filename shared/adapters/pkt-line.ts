/**
 * The ref advertisement of git's smart HTTP protocol (`GET <repo>/info/refs?service=git-upload-pack`), versions 0
 * and 1 (gitprotocol-http, gitprotocol-pack, gitprotocol-common). Strict: any deviation from the format, any invalid
 * ref name or object id, is a malformed answer with a reason. Never throws.
 *
 *   001e# service=git-upload-pack\n 0000
 *   [000eversion 1\n]
 *   <len><oid> <ref>\0<capabilities>\n     (first ref; `<zero-oid> capabilities^{}` when there is none)
 *   <len><oid> <ref>\n                     (each other ref, sorted by the server)
 *   <len><oid> <ref>^{}\n                  (right after an annotated tag: the object it finally points to)
 *   [<len>shallow <oid>\n ...]
 *   0000
 */
import { checkRefName } from '../domain/settings/version-pin';
import { escapeInvisible } from '../domain/settings/manifest-codes';

export interface RefAdvertisement {
  /** Protocol version the server answered with (0, or 1 after a `version 1` line). */
  readonly version: 0 | 1;
  /** Ref name → object id (`refs/tags/v1.0.0` → the tag object for an annotated tag). */
  readonly refs: ReadonlyMap<string, string>;
  /** Ref name → peeled object id, for annotated tags (`refs/tags/v1.0.0^{}` lines). */
  readonly peeled: ReadonlyMap<string, string>;
  readonly capabilities: readonly string[];
}

export type AdvertisementParse = { readonly ok: true; readonly advertisement: RefAdvertisement } | { readonly ok: false; readonly reason: string };

/** Longest pkt-line git sends or accepts (LARGE_PACKET_MAX). */
export const MAX_PKT_LENGTH = 65520;
const ZERO_OID = /^0+$/;
const SERVICE_LINE = '# service=git-upload-pack';
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type Pkt = { readonly kind: 'flush' } | { readonly kind: 'data'; readonly text: string };

/** Splits a body into pkt-lines; data lines lose one trailing newline. */
export function readPktLines(body: Uint8Array): { ok: true; lines: Pkt[] } | { ok: false; reason: string } {
  const lines: Pkt[] = [];
  let at = 0;
  while (at < body.length) {
    if (at + 4 > body.length) return { ok: false, reason: `truncated pkt-line length at byte ${at}` };
    let length = 0;
    for (let k = 0; k < 4; k += 1) {
      const digit = hexValue(body[at + k] ?? 0);
      if (digit < 0) return { ok: false, reason: `invalid pkt-line length at byte ${at}` };
      length = length * 16 + digit;
    }
    if (length === 0) {
      lines.push({ kind: 'flush' });
      at += 4;
      continue;
    }
    if (length < 4) return { ok: false, reason: `unexpected special pkt-line ${length.toString(16).padStart(4, '0')} at byte ${at} (protocol v2?)` };
    if (length === 4) return { ok: false, reason: `empty pkt-line at byte ${at}` };
    if (length > MAX_PKT_LENGTH) return { ok: false, reason: `pkt-line longer than ${MAX_PKT_LENGTH} bytes at byte ${at}` };
    if (at + length > body.length) return { ok: false, reason: `truncated pkt-line at byte ${at}` };
    let text: string;
    try {
      text = utf8.decode(body.subarray(at + 4, at + length));
    } catch {
      return { ok: false, reason: `pkt-line at byte ${at} is not valid UTF-8` };
    }
    lines.push({ kind: 'data', text: text.endsWith('\n') ? text.slice(0, -1) : text });
    at += length;
  }
  return { ok: true, lines };
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  return -1;
}

/** Parses the whole body of a `/info/refs?service=git-upload-pack` answer. */
export function parseRefAdvertisement(body: Uint8Array): AdvertisementParse {
  const read = readPktLines(body);
  if (!read.ok) return read;
  const lines = read.lines;
  const fail = (reason: string): AdvertisementParse => ({ ok: false, reason });
  let i = 0;
  const first = lines[i];
  if (first?.kind !== 'data' || first.text !== SERVICE_LINE) return fail(`the answer does not start with '${SERVICE_LINE}'`);
  i += 1;
  if (lines[i]?.kind !== 'flush') return fail('no flush-pkt after the service line');
  i += 1;
  let version: 0 | 1 = 0;
  const versionLine = lines[i];
  if (versionLine?.kind === 'data' && versionLine.text.startsWith('version ')) {
    if (versionLine.text === 'version 1') version = 1;
    else return fail(`the server answered with protocol ${shownText(versionLine.text)}, which spa-cd does not speak`);
    i += 1;
  }

  const refs = new Map<string, string>();
  const peeled = new Map<string, string>();
  let capabilities: string[] = [];
  let oidLength: number | undefined;
  let previous: string | undefined;
  let sawShallow = false;
  let index = 0;
  for (; i < lines.length; i += 1) {
    const line = lines[i];
    if (line === undefined || line.kind === 'flush') break;
    const text = line.text;
    if (text.startsWith('ERR ')) return fail(`the server reported an error: ${shownText(text.slice(4))}`);
    let entry = text;
    if (index === 0) {
      const nul = text.indexOf('\0');
      if (nul === -1) return fail('the first ref line has no capability list');
      entry = text.slice(0, nul);
      capabilities = text.slice(nul + 1).split(' ').filter((c) => c !== '');
      const format = capabilities.find((c) => c.startsWith('object-format='));
      if (format !== undefined && format !== 'object-format=sha1' && format !== 'object-format=sha256') return fail(`unknown ${shownText(format)}`);
      oidLength = format === 'object-format=sha256' ? 64 : 40;
    } else if (text.includes('\0')) return fail(`NUL byte in ref line ${index + 1}`);
    index += 1;

    if (entry.startsWith('shallow ')) {
      const oid = entry.slice('shallow '.length);
      if (!isOid(oid, oidLength)) return fail(`invalid object id in a shallow line`);
      sawShallow = true;
      continue;
    }
    if (sawShallow) return fail('a ref line after the shallow lines');
    const space = entry.indexOf(' ');
    if (space === -1) return fail(`ref line ${index} has no space between object id and name`);
    const oid = entry.slice(0, space);
    const name = entry.slice(space + 1);
    if (!isOid(oid, oidLength)) return fail(`ref line ${index} has an invalid object id ${shownText(oid)}`);
    if (name === 'capabilities^{}') {
      if (index !== 1 || !ZERO_OID.test(oid)) return fail('capabilities^{} where refs were expected');
      continue;
    }
    if (ZERO_OID.test(oid)) return fail(`ref ${shownText(name)} points at the null object id`);
    if (name.endsWith('^{}')) {
      const base = name.slice(0, -3);
      if (base !== previous) return fail(`peeled line for ${shownText(base)} does not follow its ref`);
      if (peeled.has(base)) return fail(`ref ${shownText(base)} is peeled twice`);
      peeled.set(base, oid);
      continue;
    }
    if (name !== 'HEAD') {
      if (!name.startsWith('refs/')) return fail(`unexpected ref name ${shownText(name)}`);
      const check = checkRefName(name, { allowOneLevel: false });
      if (!check.ok) return fail(`invalid ref name ${shownText(name)}: it ${check.reason}`);
    }
    if (refs.has(name)) return fail(`ref ${shownText(name)} is advertised twice`);
    refs.set(name, oid);
    previous = name;
  }
  if (lines[i]?.kind !== 'flush') return fail('the answer ends without a flush-pkt (truncated)');
  if (i !== lines.length - 1) return fail('data after the final flush-pkt');
  return { ok: true, advertisement: { version, refs, peeled, capabilities } };
}

function isOid(text: string, length: number | undefined): boolean {
  return (length === undefined ? /^[0-9a-f]{40}$/ : length === 64 ? /^[0-9a-f]{64}$/ : /^[0-9a-f]{40}$/).test(text);
}

function shownText(text: string): string {
  const cut = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return `'${escapeInvisible(cut)}'`;
}

/** Encodes one pkt-line (for tests and fakes). */
export function pktLine(text: string): string {
  const length = Buffer.byteLength(text, 'utf8') + 4;
  return `${length.toString(16).padStart(4, '0')}${text}`;
}
