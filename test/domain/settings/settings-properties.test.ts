import fc from 'fast-check';
import { checkSettings } from '../../../shared/domain/settings/settings-loader';
import { loadYaml } from '../../../shared/domain/settings/yaml-loader';
import type { Diagnostic } from '../../../shared/domain/settings/diagnostics';
import { MemorySource } from '../../support/memory-source';

const YAML_ATOMS = [
  'accounts:', 'organizational_units:', 'defaults:', 'automation:', 'features:', 'with_csv_files:', 'identifier:', 'account_tags:', 'preparation:',
  'purge:', 'variables:', 'feature:', 'note:', "'123456789012'", '123456789012', 'ou-ab12-34cd56ef', 'a.csv', 'x', ': ', ':', '- ', '-', ' ', '  ', '\n',
  '\n  ', '\n    ', '\r\n', '\r', '[', ']', '{', '}', ', ', "'", '"', '# c', '&a ', '*a', '<<: ', '!!str ', '!x ', '? ', '|', '>', '\t', '1', '0.5', 'yes',
  '~', '2024-01-31', '---', '...', 'é', '😀', '\\', '\u0085', '\u2028', '\u0007', '\uFEFF',
];
const CSV_ATOMS = ['Account', 'Note', 'Tag: x', 'Preparation: P', 'Purge:', 'tag: y', ',', ', ', '"', '""', '123456789012', '12', 'a', ' ', '\n', '\r\n', '\r', 'é', '\uFEFF'];

const yamlText = fc.array(fc.constantFrom(...YAML_ATOMS), { maxLength: 40 }).map((atoms) => atoms.join(''));
const csvText = fc.array(fc.constantFrom(...CSV_ATOMS), { maxLength: 40 }).map((atoms) => atoms.join(''));

/** Lines of a file as the engine counts them: PyYAML's line breaks for YAML, universal newlines for CSV. */
function linesOf(file: string, text: string, code: string): string[] {
  if (code === 'invalid-utf8') return text.split('\n');
  return file.endsWith('.csv') ? text.split(/\r\n|\r|\n/) : text.split(/\r\n|\r|\n|\u0085|\u2028|\u2029/);
}

function outsideItsFile(diagnostics: readonly Diagnostic[], files: Record<string, string>): Diagnostic[] {
  return diagnostics.filter((d) => {
    const text = files[d.file];
    if (text === undefined) return true;
    const lines = linesOf(d.file, text, d.code);
    const line = lines[d.line - 1];
    return !Number.isInteger(d.line) || !Number.isInteger(d.column) || d.line < 1 || d.column < 1 || line === undefined || d.column > [...line].length + 1;
  });
}

async function check(files: Record<string, string | Uint8Array>) {
  return checkSettings({ source: new MemorySource(files), settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
}

describe('Properties of checkSettings', () => {
  it('never throws on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const result = await check({ 'env/settings.yaml': bytes });
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on YAML-ish text, and every position lies inside its file', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, csvText, async (settings, csv) => {
        const files = { 'env/settings.yaml': settings, 'env/a.csv': csv };
        const result = await check(files);
        expect(outsideItsFile(result.diagnostics, files)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary Unicode text, and every position lies inside its file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (settings) => {
        const files = { 'env/settings.yaml': settings };
        const result = await check(files);
        expect(outsideItsFile(result.diagnostics, files)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary CSV lists, and every position lies inside its file', async () => {
    const settings = "defaults:\n  account_tags: {}\n  preparation: {variables: {}}\n  purge: {variables: {}}\naccounts:\n  - identifier: '123456789012'\nfeatures:\n  with_csv_files: [a.csv, b.csv]\n";
    await fc.assert(
      fc.asyncProperty(csvText, fc.string({ maxLength: 120 }), async (a, b) => {
        const files = { 'env/settings.yaml': settings, 'env/a.csv': a, 'env/b.csv': b };
        const result = await check(files);
        expect(outsideItsFile(result.diagnostics, files)).toEqual([]);
        if (result.diagnostics.every((d) => d.severity === 'warning')) expect(result.effective).toBeDefined();
      }),
      { numRuns: 400 },
    );
  });

  it('gives effective settings exactly when there is no error', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, async (settings) => {
        const result = await check({ 'env/settings.yaml': settings });
        const hasError = result.diagnostics.some((d) => d.severity === 'error');
        expect(result.effective === undefined).toBe(hasError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Properties of loadYaml', () => {
  it('never throws and points inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(yamlText, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const { diagnostics } = loadYaml('t.yaml', text);
        expect(outsideItsFile(diagnostics, { 't.yaml': text })).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
