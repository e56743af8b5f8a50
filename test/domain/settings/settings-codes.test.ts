import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSV_CODES, FILE_CODES, SETTINGS_CODES } from '../../../shared/domain/settings/settings-codes';
import { YAML_CODES } from '../../../shared/domain/settings/yaml-loader';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/diagnostics');

function documented(file: string): Map<string, boolean> {
  const text = readFileSync(join(DOCS, file), 'utf8');
  const codes = new Map<string, boolean>();
  for (const match of text.matchAll(/^### `([a-z0-9-]+)`( \(warning\))?$/gm)) codes.set(match[1] ?? '', match[2] !== undefined);
  return codes;
}

describe('Module: settings-codes', () => {
  it.each([
    ['settings.md', SETTINGS_CODES],
    ['csv.md', CSV_CODES],
  ] as const)('documents every code of %s once, with its severity, and nothing else', (file, codes) => {
    const docs = documented(file);
    expect([...docs.keys()].sort()).toEqual(Object.keys(codes).sort());
    for (const [code, info] of Object.entries(codes)) expect([code, docs.get(code)]).toEqual([code, info.severity === 'warning']);
  });

  it('includes the file and YAML codes in SETTINGS_CODES', () => {
    for (const code of [...Object.keys(FILE_CODES), ...Object.keys(YAML_CODES)]) expect(SETTINGS_CODES).toHaveProperty([code]);
  });

  it('uses stable kebab-case codes, each in one area only', () => {
    const all = [...Object.keys(SETTINGS_CODES), ...Object.keys(CSV_CODES)];
    expect(all.every((code) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(code))).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});
