import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pktLine } from '../../shared/adapters/pkt-line';
import { SmartHttpVersionResolver } from '../../shared/adapters/smart-http-version-resolver';
import { GitWorkTree } from '../support/git-work-tree';
import { startGitHttpServer, startHttpServer, type TestHttpServer } from '../support/git-http-server';

const LOCAL = { insecureHosts: ['127.0.0.1'] };
const ADVERTISEMENT_TYPE = 'application/x-git-upload-pack-advertisement';

/**
 * The code repository: main c1 → c1b → c2, develop c2 → c3.
 * v1.0.0 lightweight on c1, v1.1.0 annotated on c2, v1.1.1 an annotated tag of v1.1.0 (nested),
 * v2.0.0 both a tag (c1) and a branch (c3).
 */
let work: GitWorkTree;
let root: string;
let git: TestHttpServer;
let url: string;
const commits: Record<string, string> = {};
const fakes: TestHttpServer[] = [];

function revParse(ref: string): string {
  return execFileSync('git', ['-C', join(root, 'spa.git'), 'rev-parse', '--verify', '--quiet', ref], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

async function fake(handler: Parameters<typeof startHttpServer>[0]): Promise<TestHttpServer> {
  const server = await startHttpServer(handler);
  fakes.push(server);
  return server;
}

beforeAll(async () => {
  work = new GitWorkTree('spa-cd-code-');
  work.git('config', 'advice.nestedTag', 'false');
  commits.c1 = work.write('README.md', 'one\n').commit('one');
  work.git('tag', 'v1.0.0');
  commits.c1b = work.write('README.md', 'one and a half\n').commit('one and a half');
  commits.c2 = work.write('README.md', 'two\n').commit('two');
  work.git('tag', '-a', 'v1.1.0', '-m', 'release 1.1.0');
  work.git('tag', '-a', 'v1.1.1', '-m', 'a tag of a tag', 'v1.1.0');
  work.git('checkout', '-q', '-b', 'develop');
  commits.c3 = work.write('README.md', 'three\n').commit('three');
  work.git('checkout', '-q', 'main');
  work.git('tag', 'v2.0.0', commits.c1);
  work.git('branch', 'v2.0.0', commits.c3);
  root = mkdtempSync(join(tmpdir(), 'spa-cd-http-'));
  execFileSync('git', ['clone', '-q', '--mirror', work.dir, join(root, 'spa.git')], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  git = await startGitHttpServer(root);
  url = `${git.baseUrl}/spa.git`;
});

afterAll(async () => {
  await git.close();
  await Promise.all(fakes.map((f) => f.close()));
  rmSync(root, { recursive: true, force: true });
  work.cleanup();
});

describe('Class: SmartHttpVersionResolver', () => {
  describe('Method: resolve, against a real git http-backend', () => {
    it('resolves a lightweight tag to its commit', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, 'v1.0.0');

      // Assess
      expect(resolved).toEqual({ kind: 'tag', name: 'v1.0.0', commit: commits.c1, annotated: false });
    });

    it('resolves an annotated tag to the commit it points to, not to the tag object', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, 'v1.1.0');

      // Assess
      expect(resolved).toEqual({ kind: 'tag', name: 'v1.1.0', commit: revParse('v1.1.0^{commit}'), annotated: true });
      expect(revParse('v1.1.0')).not.toBe(commits.c2);
    });

    it('resolves an annotated tag of an annotated tag to the final commit', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, 'v1.1.1');

      // Assess
      expect(resolved).toEqual({ kind: 'tag', name: 'v1.1.1', commit: commits.c2, annotated: true });
    });

    it('resolves a branch name as a branch with its current commit', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, 'develop');

      // Assess
      expect(resolved).toEqual({ kind: 'branch', name: 'develop', commit: commits.c3 });
    });

    it('prefers the tag when a tag and a branch have the same name, as git rev-parse does', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, 'v2.0.0');

      // Assess
      expect(resolved).toEqual({ kind: 'tag', name: 'v2.0.0', commit: revParse('v2.0.0^{commit}'), annotated: false });
      expect(revParse('v2.0.0^{commit}')).toBe(commits.c1);
    });

    it('takes a 40-hex pin as a commit and tells that a ref points at it', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, commits.c2 as string);

      // Assess
      expect(resolved).toEqual({ kind: 'commit', commit: commits.c2, advertised: true });
    });

    it('takes a 40-hex pin that no ref points at as a commit that is not advertised', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, (commits.c1b as string).toUpperCase());

      // Assess
      expect(resolved).toEqual({ kind: 'commit', commit: commits.c1b, advertised: false });
    });

    it('answers unknown for a name that is neither a tag nor a branch', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(url, 'v9.9.9');

      // Assess
      expect(resolved).toEqual({ kind: 'unknown', name: 'v9.9.9' });
    });

    it('asks protocol version 1, which the server honours', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);
      const before = git.requests.length;

      // Act
      await resolver.resolve(url, 'v1.0.0');

      // Assess
      const request = git.requests[before];
      expect(request?.url).toBe('/spa.git/info/refs?service=git-upload-pack');
      expect(request?.headers['git-protocol']).toBe('version=1');
    });

    it('sends one request per URL for many pins and concurrent calls', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);
      const before = git.requests.length;

      // Act
      const concurrent = await Promise.all(['v1.0.0', 'v1.1.0', 'develop', 'main', 'nope'].map((pin) => resolver.resolve(url, pin)));
      const later = await resolver.resolve(url, 'v2.0.0');

      // Assess
      expect(git.requests.length - before).toBe(1);
      expect(concurrent.map((r) => r.kind)).toEqual(['tag', 'tag', 'branch', 'branch', 'unknown']);
      expect(later.kind).toBe('tag');
    });

    it('reports a missing repository as unresolved with the HTTP status', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(`${git.baseUrl}/missing.git`, 'v1.0.0');

      // Assess
      expect(resolved).toEqual({ kind: 'unresolved', name: 'v1.0.0', reason: expect.stringContaining('HTTP 404') });
    });
  });

  describe('Method: resolve, when the repository cannot be asked', () => {
    it('is unresolved when nothing listens on the port', async () => {
      // Prepare
      const server = await startHttpServer((_, response) => response.end());
      const closedUrl = `${server.baseUrl}/spa.git`;
      await server.close();
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(closedUrl, 'v1.0.0');

      // Assess
      expect(resolved).toEqual({ kind: 'unresolved', name: 'v1.0.0', reason: expect.stringContaining('could not be reached') });
    });

    it('is unresolved on HTTP 500', async () => {
      // Prepare
      const server = await fake((_, response) => response.writeHead(500).end('boom'));
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('HTTP 500') });
    });

    it('is unresolved when the answer is garbage with the right content type', async () => {
      // Prepare
      const server = await fake((_, response) => response.writeHead(200, { 'Content-Type': ADVERTISEMENT_TYPE }).end('this is not a pkt-line stream'));
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('malformed answer') });
    });

    it('is unresolved when the server is not a smart HTTP server', async () => {
      // Prepare
      const server = await fake((_, response) => response.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${commits.c1}\trefs/tags/v1.0.0\n`));
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('not a smart HTTP git server') });
    });

    it('is unresolved when the answer grows past the size cap', async () => {
      // Prepare
      const line = pktLine(`${commits.c1} refs/tags/${'x'.repeat(200)}\n`);
      const server = await fake((_, response) => {
        response.writeHead(200, { 'Content-Type': ADVERTISEMENT_TYPE });
        for (let i = 0; i < 400; i += 1) response.write(line);
        response.end('0000');
      });
      const resolver = new SmartHttpVersionResolver({ ...LOCAL, maxBytes: 4096 });

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: 'the answer is larger than 4096 bytes' });
    });

    it('is unresolved without reading when the declared length is past the size cap', async () => {
      // Prepare
      const server = await fake((_, response) => response.writeHead(200, { 'Content-Type': ADVERTISEMENT_TYPE, 'Content-Length': '10000' }).end('0'.repeat(10000)));
      const resolver = new SmartHttpVersionResolver({ ...LOCAL, maxBytes: 1000 });

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: 'the answer is larger than 1000 bytes' });
    });

    it('is unresolved when the server does not answer before the deadline', async () => {
      // Prepare
      const server = await fake(() => undefined);
      const resolver = new SmartHttpVersionResolver({ ...LOCAL, timeoutMs: 200 });

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: 'no answer within 200 ms' });
    });

    it('relays an ERR line of the server as the reason', async () => {
      // Prepare
      const body = `${pktLine('# service=git-upload-pack\n')}0000${pktLine('ERR access denied\n')}`;
      const server = await fake((_, response) => response.writeHead(200, { 'Content-Type': ADVERTISEMENT_TYPE }).end(body));
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining("the server reported an error: 'access denied'") });
    });

    it('refuses plain http to a host that is not allowed', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver();
      const before = git.requests.length;

      // Act
      const resolved = await resolver.resolve(url, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('only https:// is accepted') });
      expect(git.requests.length).toBe(before);
    });

    it('refuses a URL with credentials, a transport trick or an option', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const results = await Promise.all(
        ['https://user:secret@github.com/x/y.git', 'ext::sh -c touch% /tmp/pwned', '--upload-pack=touch /tmp/pwned', 'https://169.254.169.254/latest'].map((u) =>
          resolver.resolve(u, 'v1.0.0'),
        ),
      );

      // Assess
      expect(results.map((r) => r.kind)).toEqual(['unresolved', 'unresolved', 'unresolved', 'unresolved']);
    });

    it('is unresolved for a pin that is not a valid pin, without asking the server', async () => {
      // Prepare
      const resolver = new SmartHttpVersionResolver(LOCAL);
      const before = git.requests.length;

      // Act
      const resolved = await resolver.resolve(url, '--upload-pack=touch /tmp/x');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining("starts with '-'") });
      expect(git.requests.length).toBe(before);
    });
  });

  describe('Method: resolve, with redirects', () => {
    it('follows a redirect to the repository', async () => {
      // Prepare
      const server = await fake((request, response) => response.writeHead(301, { Location: `${url}${(request.url ?? '').replace(/^\/moved\.git/, '')}` }).end());
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/moved.git`, 'v1.0.0');

      // Assess
      expect(resolved).toEqual({ kind: 'tag', name: 'v1.0.0', commit: commits.c1, annotated: false });
    });

    it('gives up after too many redirects', async () => {
      // Prepare
      const server = await fake((request, response) => response.writeHead(302, { Location: request.url ?? '/' }).end());
      const resolver = new SmartHttpVersionResolver({ ...LOCAL, maxRedirects: 3 });

      // Act
      const resolved = await resolver.resolve(`${server.baseUrl}/loop.git`, 'v1.0.0');

      // Assess
      expect(resolved).toMatchObject({ kind: 'unresolved', reason: 'more than 3 redirects' });
      expect(server.requests).toHaveLength(4);
    });

    it('does not follow a redirect to another scheme or to a host that is not allowed', async () => {
      // Prepare
      const toFtp = await fake((_, response) => response.writeHead(302, { Location: 'ftp://example.com/spa.git' }).end());
      const toLocalhost = await fake((_, response) => response.writeHead(302, { Location: `http://localhost:${git.port}/spa.git/info/refs?service=git-upload-pack` }).end());
      const resolver = new SmartHttpVersionResolver(LOCAL);

      // Act
      const ftp = await resolver.resolve(`${toFtp.baseUrl}/spa.git`, 'v1.0.0');
      const local = await resolver.resolve(`${toLocalhost.baseUrl}/spa.git`, 'v1.0.0');

      // Assess
      expect(ftp).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('only https is followed') });
      expect(local).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('only https is followed') });
    });
  });
});
