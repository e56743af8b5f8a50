import fc from 'fast-check';
import { parseRefAdvertisement, pktLine, readPktLines } from '../../shared/adapters/pkt-line';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const ZERO = '0'.repeat(40);
const SERVICE = `${pktLine('# service=git-upload-pack\n')}0000`;
const CAPS = 'multi_ack thin-pack side-band side-band-64k ofs-delta shallow no-progress include-tag symref=HEAD:refs/heads/main object-format=sha1 agent=git/2.39.5';

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function advertisement(...lines: string[]): Uint8Array {
  return bytes(`${SERVICE}${lines.map((l) => pktLine(`${l}\n`)).join('')}0000`);
}

describe('Function: parseRefAdvertisement', () => {
  it('reads a protocol v0 advertisement with capabilities, refs and a peeled annotated tag', () => {
    // Prepare
    const body = advertisement(`${A} HEAD\0${CAPS}`, `${A} refs/heads/main`, `${B} refs/tags/v1.0.0`, `${C} refs/tags/v1.0.0^{}`);

    // Act
    const parsed = parseRefAdvertisement(body);

    // Assess
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.advertisement.version).toBe(0);
    expect([...parsed.advertisement.refs]).toEqual([
      ['HEAD', A],
      ['refs/heads/main', A],
      ['refs/tags/v1.0.0', B],
    ]);
    expect([...parsed.advertisement.peeled]).toEqual([['refs/tags/v1.0.0', C]]);
    expect(parsed.advertisement.capabilities).toContain('symref=HEAD:refs/heads/main');
  });

  it('reads a protocol v1 advertisement (a version line first)', () => {
    // Prepare
    const body = bytes(`${SERVICE}${pktLine('version 1\n')}${pktLine(`${A} refs/heads/main\0${CAPS}\n`)}0000`);

    // Act
    const parsed = parseRefAdvertisement(body);

    // Assess
    expect(parsed).toMatchObject({ ok: true, advertisement: { version: 1 } });
  });

  it('reads the advertisement of an empty repository as no refs', () => {
    // Prepare
    const body = advertisement(`${ZERO} capabilities^{}\0${CAPS}`);

    // Act
    const parsed = parseRefAdvertisement(body);

    // Assess
    expect(parsed.ok && parsed.advertisement.refs.size).toBe(0);
  });

  it('accepts shallow lines after the refs', () => {
    // Prepare
    const body = advertisement(`${A} refs/heads/main\0${CAPS}`, `shallow ${B}`);

    // Act
    const parsed = parseRefAdvertisement(body);

    // Assess
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['no service line', bytes(`${pktLine(`${A} refs/heads/main\0caps\n`)}0000`), "does not start with '# service=git-upload-pack'"],
    ['a protocol v2 answer', bytes(`${SERVICE}${pktLine('version 2\n')}${pktLine('ls-refs=unborn\n')}0000`), "protocol 'version 2'"],
    ['a delimiter packet', bytes(`${SERVICE}0001${pktLine(`${A} refs/heads/main\0caps\n`)}0000`), 'unexpected special pkt-line 0001'],
    ['a length that is not hex', bytes(`${SERVICE}00zz`), 'invalid pkt-line length'],
    ['a truncated line', bytes(`${SERVICE}00ff${A}`), 'truncated pkt-line at byte'],
    ['a truncated length', bytes(`${SERVICE}00`), 'truncated pkt-line length'],
    ['no final flush', bytes(`${SERVICE}${pktLine(`${A} refs/heads/main\0caps\n`)}`), 'ends without a flush-pkt'],
    ['data after the final flush', bytes(`${SERVICE}${pktLine(`${A} refs/heads/main\0caps\n`)}0000${pktLine('more\n')}`), 'data after the final flush-pkt'],
    ['no capabilities on the first ref', advertisement(`${A} refs/heads/main`), 'no capability list'],
    ['a short object id', advertisement(`${'a'.repeat(39)} refs/heads/main\0caps`), 'invalid object id'],
    ['an upper-case object id', advertisement(`${'A'.repeat(40)} refs/heads/main\0caps`), 'invalid object id'],
    ['an invalid ref name', advertisement(`${A} refs/heads/main\0caps`, `${B} refs/tags/a..b`), "invalid ref name 'refs/tags/a..b'"],
    ['a name outside refs/', advertisement(`${A} refs/heads/main\0caps`, `${B} tags/v1`), "unexpected ref name 'tags/v1'"],
    ['a peeled line that does not follow its ref', advertisement(`${A} refs/tags/v1\0caps`, `${B} refs/tags/v2`, `${C} refs/tags/v1^{}`), 'does not follow its ref'],
    ['a ref advertised twice', advertisement(`${A} refs/tags/v1\0caps`, `${B} refs/tags/v1`), 'advertised twice'],
    ['a null object id', advertisement(`${ZERO} refs/heads/main\0caps`), 'null object id'],
    ['a NUL after the first line', advertisement(`${A} refs/heads/main\0caps`, `${B} refs/tags/v1\0x`), 'NUL byte'],
    ['an unknown object format', advertisement(`${A} refs/heads/main\0object-format=md5`), "unknown 'object-format=md5'"],
    ['an error line', bytes(`${SERVICE}${pktLine('ERR no such repository\n')}0000`), "the server reported an error: 'no such repository'"],
    ['invalid UTF-8', new Uint8Array([...bytes(`${SERVICE}0008`), 0xff, 0xfe, 0xff, 0xfe, ...bytes('0000')]), 'not valid UTF-8'],
  ])('refuses %s', (_, body, reason) => {
    // Act
    const parsed = parseRefAdvertisement(body);

    // Assess
    expect(parsed).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('never throws and never accepts what does not end with a flush-pkt, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (body) => {
        // Act
        const parsed = parseRefAdvertisement(body);

        // Assess
        if (parsed.ok) expect(Buffer.from(body.subarray(-4)).toString('latin1')).toBe('0000');
      }),
    );
  });

  it('never throws on pkt-line streams of arbitrary text lines', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 100 }), { maxLength: 20 }), fc.boolean(), (lines, flush) => {
        // Prepare
        const body = bytes(`${SERVICE}${lines.map((l) => pktLine(l)).join('')}${flush ? '0000' : ''}`);

        // Act
        const parsed = parseRefAdvertisement(body);

        // Assess
        expect(typeof parsed.ok).toBe('boolean');
      }),
    );
  });
});

describe('Function: readPktLines', () => {
  it('refuses a line longer than git allows', () => {
    // Act
    const read = readPktLines(bytes('fff5'));

    // Assess
    expect(read).toEqual({ ok: false, reason: expect.stringContaining('longer than 65520') });
  });
});
