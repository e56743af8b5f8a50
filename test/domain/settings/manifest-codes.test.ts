import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCharacter, MANIFEST_CODES, shown } from '../../../shared/domain/settings/manifest-codes';

describe('Constant: MANIFEST_CODES', () => {
  it('is documented, code for code, in docs/diagnostics/manifest.md', () => {
    // Prepare
    const doc = readFileSync(join(process.cwd(), 'docs/diagnostics/manifest.md'), 'utf8');

    // Act
    const documented = [...doc.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((m) => m[1]);

    // Assess
    expect([...documented].sort()).toEqual(Object.keys(MANIFEST_CODES).sort());
  });

  it('uses stable kebab-case codes with a one-line summary', () => {
    for (const [code, info] of Object.entries(MANIFEST_CODES)) {
      expect(code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning']).toContain(info.severity);
      expect(info.summary).toMatch(/^[A-Za-z`'].*\.$/);
    }
  });
});

describe('Function: shown', () => {
  it('quotes a value, escapes invisible characters and cuts it', () => {
    expect(shown('v1.2.3')).toBe("'v1.2.3'");
    expect(shown('a\u0000b\u202ec\nd')).toBe("'a\\u0000b\\u202ec\\u000ad'");
    expect(shown('x'.repeat(100))).toBe(`'${'x'.repeat(80)}…'`);
  });
});

describe('Function: describeCharacter', () => {
  it('names characters a person cannot see', () => {
    expect(describeCharacter('\r')).toBe('U+000D (carriage return: the file probably has Windows line endings)');
    expect(describeCharacter('\u0085')).toBe('U+0085 (a control character)');
    expect(describeCharacter('é')).toBe("U+00E9 'é'");
    expect(describeCharacter(';')).toBe("';'");
    expect(describeCharacter('\u2066')).toBe('U+2066 (an invisible formatting character)');
  });
});
