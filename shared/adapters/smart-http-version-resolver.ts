/**
 * Adapter: resolves a SPA version pin by asking the code repository for its refs over git's smart HTTP protocol
 * (`GET <url>/info/refs?service=git-upload-pack`, the first request of `git ls-remote`); no clone, no git binary.
 *
 * Precedence is git's: `refs/tags/<pin>` before `refs/heads/<pin>`; a 40-hex pin is a commit. An annotated tag
 * resolves to the commit it points to (its peeled `^{}` line). Anything that goes wrong (no network, timeout,
 * HTTP error, redirect to a refused place, malformed or oversized answer) gives `unresolved` with a reason:
 * `resolve` never throws. One instance asks each URL once, however many environments and pins share it.
 */
import { checkCodeGitUrl, isLocalOrPrivateHost } from '../domain/settings/deployment-manifest';
import { checkPinValue } from '../domain/settings/version-pin';
import { escapeInvisible } from '../domain/settings/manifest-codes';
import type { ResolvedVersion, VersionResolver } from '../ports/version-resolver';
import { parseRefAdvertisement, type RefAdvertisement } from './pkt-line';

export interface SmartHttpVersionResolverOptions {
  /** Deadline of one URL's request, redirects and body included. Default 5 s. */
  readonly timeoutMs?: number;
  /** Largest answer read. Default 16 MiB. */
  readonly maxBytes?: number;
  /** Redirects followed. Default 5. */
  readonly maxRedirects?: number;
  /** Hosts that may be asked over plain http and may be local (tests, local mode). Default none. */
  readonly insecureHosts?: readonly string[];
  /** The fetch to use (default: Node's global fetch). */
  readonly fetch?: typeof fetch;
}

type Outcome = { readonly ok: true; readonly advertisement: RefAdvertisement } | { readonly ok: false; readonly reason: string };

const DEFAULTS = { timeoutMs: 5_000, maxBytes: 16 * 1024 * 1024, maxRedirects: 5 };
const CONTENT_TYPE = 'application/x-git-upload-pack-advertisement';
const COMMIT = /^[0-9a-fA-F]{40}$/;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class SmartHttpVersionResolver implements VersionResolver {
  private readonly cache = new Map<string, Promise<Outcome>>();
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly insecureHosts: readonly string[];
  private readonly fetchImpl: typeof fetch;

  constructor(options: SmartHttpVersionResolverOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
    this.maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
    this.insecureHosts = (options.insecureHosts ?? []).map((h) => h.toLowerCase());
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async resolve(codeGitUrl: string, pin: string): Promise<ResolvedVersion> {
    const unresolved = (reason: string): ResolvedVersion => ({ kind: 'unresolved', name: pin, reason });
    try {
      const value = checkPinValue(pin);
      if (!value.ok) return unresolved(`the pin ${value.reason}`);
      const outcome = await this.advertisement(codeGitUrl);
      if (!outcome.ok) return unresolved(outcome.reason);
      return resolveIn(outcome.advertisement, pin);
    } catch (error) {
      // defensive: nothing above should throw
      return unresolved(`unexpected error: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    }
  }

  /** The refs of a repository, asked once per URL for the life of this resolver (failures included). */
  private advertisement(codeGitUrl: string): Promise<Outcome> {
    let pending = this.cache.get(codeGitUrl);
    if (pending === undefined) {
      pending = this.ask(codeGitUrl).catch((error: unknown) => ({ ok: false as const, reason: describeFailure(error) }));
      this.cache.set(codeGitUrl, pending);
    }
    return pending;
  }

  private async ask(codeGitUrl: string): Promise<Outcome> {
    const checked = checkCodeGitUrl(codeGitUrl, { insecureHosts: this.insecureHosts });
    if (!checked.ok) return { ok: false, reason: `the code repository URL ${checked.reason}` };
    let target = new URL(`${codeGitUrl.replace(/\/+$/, '')}/info/refs?service=git-upload-pack`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    timer.unref?.();
    try {
      let response: Response;
      for (let redirects = 0; ; redirects += 1) {
        response = await this.fetchImpl(target, {
          method: 'GET',
          redirect: 'manual',
          signal: controller.signal,
          headers: {
            Accept: CONTENT_TYPE,
            'Git-Protocol': 'version=1',
            'User-Agent': 'git/2.0 (spa-cd)',
          },
        });
        if (!REDIRECTS.has(response.status)) break;
        await discard(response);
        const location = response.headers.get('location');
        if (location === null) return { ok: false, reason: `${target.host} answered HTTP ${response.status} without a Location` };
        if (redirects >= this.maxRedirects) return { ok: false, reason: `more than ${this.maxRedirects} redirects` };
        let next: URL;
        try {
          next = new URL(location, target);
        } catch {
          return { ok: false, reason: `${target.host} redirected to an invalid URL` };
        }
        const refused = this.refusedRedirect(target, next);
        if (refused !== undefined) return { ok: false, reason: refused };
        target = next;
      }
      if (response.status !== 200) {
        await discard(response);
        return { ok: false, reason: `${target.host} answered HTTP ${response.status}${response.status === 404 ? ' (no such repository, or it is private)' : ''}` };
      }
      const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (type !== CONTENT_TYPE) {
        await discard(response);
        return { ok: false, reason: `${target.host} is not a smart HTTP git server (content type ${shownText(type || 'none')})` };
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > this.maxBytes) {
        await discard(response);
        return { ok: false, reason: `the answer is larger than ${this.maxBytes} bytes` };
      }
      const body = await readCapped(response, this.maxBytes);
      if (body === undefined) return { ok: false, reason: `the answer is larger than ${this.maxBytes} bytes` };
      const parsed = parseRefAdvertisement(body);
      if (!parsed.ok) return { ok: false, reason: `malformed answer from ${target.host}: ${parsed.reason}` };
      return { ok: true, advertisement: parsed.advertisement };
    } catch (error) {
      if (controller.signal.aborted) return { ok: false, reason: `no answer within ${this.timeoutMs} ms` };
      return { ok: false, reason: describeFailure(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Why a redirect from `from` to `to` is not followed, if it is not. */
  private refusedRedirect(from: URL, to: URL): string | undefined {
    const host = to.hostname.toLowerCase();
    const insecureAllowed = this.insecureHosts.includes(host);
    if (to.username !== '' || to.password !== '') return `${from.host} redirected to a URL with credentials`;
    if (to.protocol !== 'https:' && !(to.protocol === 'http:' && insecureAllowed)) return `${from.host} redirected to ${to.protocol}// (only https is followed)`;
    if (!insecureAllowed && isLocalOrPrivateHost(host)) return `${from.host} redirected to a local or private address (${host})`;
    return undefined;
  }
}

/** What a repository's refs say about a pin. */
export function resolveIn(advertisement: RefAdvertisement, pin: string): ResolvedVersion {
  const tag = `refs/tags/${pin}`;
  const tagged = advertisement.refs.get(tag);
  if (tagged !== undefined) {
    const peeled = advertisement.peeled.get(tag);
    return { kind: 'tag', name: pin, commit: peeled ?? tagged, annotated: peeled !== undefined };
  }
  const branch = advertisement.refs.get(`refs/heads/${pin}`);
  if (branch !== undefined) return { kind: 'branch', name: pin, commit: branch };
  if (COMMIT.test(pin)) {
    const commit = pin.toLowerCase();
    const advertised = [...advertisement.refs.values(), ...advertisement.peeled.values()].includes(commit);
    return { kind: 'commit', commit, advertised };
  }
  return { kind: 'unknown', name: pin };
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function describeFailure(error: unknown): string {
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? (error as { cause: unknown }).cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  const message = messageOf(cause) ?? messageOf(error) ?? String(error);
  return `the code repository could not be reached (${oneLine(code ?? message)})`;
}

function messageOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string' ? value.message : undefined;
}

function oneLine(text: string): string {
  const flat = escapeInvisible(text.replace(/\s+/g, ' ').trim());
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function shownText(text: string): string {
  return `'${oneLine(text).slice(0, 80)}'`;
}
