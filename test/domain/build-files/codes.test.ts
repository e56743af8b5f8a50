import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_FILES_CODES } from '../../../shared/domain/build-files';
import { CSV_CODES, SETTINGS_CODES } from '../../../shared/domain/settings/settings-codes';
import { MANIFEST_CODES } from '../../../shared/domain/settings/manifest-codes';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/diagnostics/build-files.md');

describe('Module: build-files codes', () => {
  it('documents every code once, with its severity, and nothing else', () => {
    // Prepare
    const text = readFileSync(DOCS, 'utf8');

    // Act
    const documented = new Map<string, boolean>();
    for (const match of text.matchAll(/^### `([a-z0-9-]+)`( \(warning\))?$/gm)) documented.set(match[1] ?? '', match[2] !== undefined);

    // Assess
    expect([...documented.keys()].sort()).toEqual(Object.keys(BUILD_FILES_CODES).sort());
    for (const [code, info] of Object.entries(BUILD_FILES_CODES)) expect([code, documented.get(code)]).toEqual([code, info.severity === 'warning']);
  });

  it('uses stable kebab-case codes that no other area uses', () => {
    // Prepare
    const others = new Set([...Object.keys(SETTINGS_CODES), ...Object.keys(CSV_CODES), ...Object.keys(MANIFEST_CODES)]);

    // Act
    const codes = Object.keys(BUILD_FILES_CODES);

    // Assess
    expect(codes.filter((code) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code))).toEqual([]);
    expect(codes.filter((code) => others.has(code))).toEqual([]);
  });
});
