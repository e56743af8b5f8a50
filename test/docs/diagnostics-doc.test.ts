import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_AREAS, renderDiagnosticsIndex } from '../../scripts/diagnostics-index';
import { repoRoot } from '../support/aws-events';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('Document: docs/diagnostics.md', () => {
  it('is up to date with the code registries (run `npm run docs:diagnostics` after changing a code)', () => {
    expect(readFileSync(join(repoRoot, 'docs/diagnostics.md'), 'utf8')).toBe(renderDiagnosticsIndex());
  });

  it.each(DIAGNOSTIC_AREAS.map((area) => [area.page, area] as const))('links to %s, which explains each of its codes and no other', (page, area) => {
    const text = readFileSync(join(repoRoot, 'docs/diagnostics', page), 'utf8');
    const explained = [...text.matchAll(/^### `([a-z0-9-]+)`/gm)].map((m) => m[1]);
    expect([...explained].sort()).toEqual(Object.keys(area.codes).sort());
  });

  it('gives every code one area only', () => {
    const all = DIAGNOSTIC_AREAS.flatMap((area) => Object.keys(area.codes));
    expect(all.filter((code, index) => all.indexOf(code) !== index)).toEqual([]);
  });

  it('registers every code the source writes as a literal diagnostic code', () => {
    const registered = new Set(DIAGNOSTIC_AREAS.flatMap((area) => Object.keys(area.codes)));
    const written = new Set<string>();
    for (const file of sourceFiles(join(repoRoot, 'shared/domain'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bcode: '([a-z0-9]+(?:-[a-z0-9]+)+)'/g)) written.add(match[1] ?? '');
    }
    expect(written.size).toBeGreaterThan(0);
    expect([...written].filter((code) => !registered.has(code))).toEqual([]);
  });
});
