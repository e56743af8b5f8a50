import type { Diagnostic } from './diagnostics';
import { LIMITS } from './limits';
import type { ReadResult, SettingsSource } from '../../ports/settings-source';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type DecodeResult = { ok: true; text: string } | { ok: false; line: number; column: number; byteOffset: number };

/**
 * Strict UTF-8: invalid bytes are reported with their position, never replaced.
 * A byte-order mark is kept (Python's `open(..., encoding='utf-8')` does not strip it either).
 */
export function decodeUtf8Strict(bytes: Uint8Array): DecodeResult {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const byteOffset = firstInvalidUtf8Offset(bytes);
    const valid = decoder.decode(bytes.subarray(0, byteOffset));
    const lines = valid.split('\n');
    const last = lines[lines.length - 1] ?? '';
    return { ok: false, byteOffset, line: lines.length, column: [...last].length + 1 };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

export type TextFileResult =
  | { ok: true; text: string; kind: 'file' | 'executable' }
  | { ok: false; reason: 'not-found' | 'unreadable' | 'not-a-file' | 'too-large' | 'invalid-utf8'; diagnostic: Diagnostic };

/**
 * Reads one text file through a settings source with the engine's safety rules: size cap before reading,
 * no symlinks, strict UTF-8. `where` is the place that referenced the file (for a missing CSV list, the settings line).
 */
export async function readTextFile(
  source: SettingsSource,
  path: string,
  where?: { file: string; line: number; column: number },
): Promise<TextFileResult> {
  let result: ReadResult;
  try {
    result = await source.read(path, LIMITS.maxFileBytes);
  } catch (error) {
    const at = where ?? { file: path, line: 1, column: 1 };
    return {
      ok: false,
      reason: 'unreadable',
      diagnostic: {
        ...at,
        severity: 'error',
        code: 'file-unreadable',
        message: `${path} could not be read from ${source.description}: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'check that the file exists at this revision and that spa-cd may read it, then run again',
      },
    };
  }
  if (result.ok) {
    const decoded = decodeUtf8Strict(result.bytes);
    if (decoded.ok) return { ok: true, text: decoded.text, kind: result.kind };
    return {
      ok: false,
      reason: 'invalid-utf8',
      diagnostic: {
        file: path,
        line: decoded.line,
        column: decoded.column,
        severity: 'error',
        code: 'invalid-utf8',
        message: `${path} is not valid UTF-8 (invalid byte at offset ${decoded.byteOffset}); SPA reads settings as UTF-8 and would fail`,
        hint: 'save the file as UTF-8 (for example with `iconv -f latin1 -t utf-8`)',
      },
    };
  }
  const at = where ?? { file: path, line: 1, column: 1 };
  switch (result.reason) {
    case 'not-found':
      return {
        ok: false,
        reason: 'not-found',
        diagnostic: { ...at, severity: 'error', code: 'file-missing', message: `${path} does not exist`, hint: 'add the file or fix the path' },
      };
    case 'not-a-file':
      return {
        ok: false,
        reason: 'not-a-file',
        diagnostic: {
          ...at,
          severity: 'error',
          code: result.kind === 'symlink' ? 'symlink-not-followed' : 'not-a-file',
          message:
            result.kind === 'symlink'
              ? `${path} is a symbolic link; spa-cd never follows links out of the settings`
              : `${path} is a ${result.kind}, not a regular file`,
          hint: result.kind === 'symlink' ? 'replace the link with the file itself' : 'point at a regular file',
        },
      };
    case 'too-large':
      return {
        ok: false,
        reason: 'too-large',
        diagnostic: {
          file: path,
          line: 1,
          column: 1,
          severity: 'error',
          code: 'file-too-large',
          message: `${path} is ${result.size} bytes, more than the ${result.limit}-byte limit for a settings file; it was not read`,
          hint: 'split the file (for example several CSV lists in features.with_csv_files)',
        },
      };
  }
}
