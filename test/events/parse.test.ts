import fc from 'fast-check';
import { escapeForLog, parseAnyEvent, parseEvent } from '../../shared/events';
import { awsEvent, listAwsEventFiles } from '../support/aws-events';

describe('Function: parseAnyEvent', () => {
  it('never throws and always gives a one-line reason on arbitrary JSON', () => {
    // Prepare
    const property = fc.property(fc.jsonValue(), (input) => {
      // Act
      const result = parseAnyEvent(input);

      // Assess
      return result.ok || (result.reason.length <= 300 && !/[\r\n]/.test(result.reason));
    });

    // Act + Assess
    fc.assert(property, { numRuns: 500 });
  });

  it('never throws when any single detail field of a real sample is replaced by arbitrary JSON', () => {
    // Prepare
    const samples = listAwsEventFiles().map((file) => awsEvent(file));
    const property = fc.property(fc.nat(), fc.nat(), fc.jsonValue(), (sampleIndex, fieldIndex, value) => {
      const sample = structuredClone(samples[sampleIndex % samples.length] ?? {});
      const detail = sample.detail as Record<string, unknown>;
      const keys = Object.keys(detail);
      const key = keys[fieldIndex % keys.length] ?? 'x';
      detail[key] = value;

      // Act
      const result = parseAnyEvent(sample);

      // Assess
      return result.ok || typeof result.reason === 'string';
    });

    // Act + Assess
    fc.assert(property, { numRuns: 500 });
  });

  it('escapes an unsupported detail-type in its reason', () => {
    // Act
    const result = parseAnyEvent({ 'detail-type': 'Evil\nType\u202e' });

    // Assess
    expect(result).toEqual({ ok: false, reason: 'detail-type: unsupported event type "Evil\\u{a}Type\\u{202e}"' });
  });

  it('summarises many issues in one short line', () => {
    // Act
    const result = parseEvent('pull-request-state-change', { 'detail-type': 'CodeCommit Pull Request State Change' });

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^version: .*; id: .* \(\+\d+ more\)$/) });
  });
});

describe('Function: escapeForLog', () => {
  it('escapes line breaks, tabs, bidi and zero-width characters but keeps spaces and accents', () => {
    // Act
    const escaped = escapeForLog('a b\tc\r\nd\u2028e\u200bf\u202eg é');

    // Assess
    expect(escaped).toBe('a b\\u{9}c\\u{d}\\u{a}d\\u{2028}e\\u{200b}f\\u{202e}g é');
  });

  it('cuts long values with an ellipsis', () => {
    // Act
    const escaped = escapeForLog('x'.repeat(500), 10);

    // Assess
    expect(escaped).toBe(`${'x'.repeat(9)}…`);
  });
});
