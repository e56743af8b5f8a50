import { code, escapeInline, sanitize, truncate } from '../../shared/rendering/markdown-escape';
import { shellOption, shellQuote } from '../../shared/rendering/shell-quote';
import { cellSeparators } from './markdown-checks';

const ZWSP = '\u200B';

describe('Function: escapeInline', () => {
  it('turns a link to javascript into plain text', () => {
    // Act
    const out = escapeInline('[x](javascript:alert(1))');

    // Assess
    expect(out).toBe('\\[x\\]\\(javascript:alert\\(1\\)\\)');
  });

  it('turns HTML tags into text, including ones that would close our details', () => {
    // Act
    const out = ['<img src=x onerror=alert(1)>', '<details>', '</details>', '<!-- x -->'].map((s) => escapeInline(s));

    // Assess
    expect(out).toEqual(['&lt;img src=x onerror=alert\\(1\\)&gt;', '&lt;details&gt;', '&lt;/details&gt;', '&lt;\\!-- x --&gt;']);
    for (const s of out) expect(s).not.toMatch(/</);
  });

  it('keeps entities from being decoded', () => {
    // Act & assess
    expect(escapeInline('&lt;script&gt; &#x40;')).toBe('&amp;lt;script&amp;gt; &amp;\\#x40;');
  });

  it('notifies nobody: mentions get a zero-width space after the @', () => {
    // Act
    const out = escapeInline('@all @here ping @alice and bob@example.com');

    // Assess
    expect(out).toBe(`@${ZWSP}all @${ZWSP}here ping @${ZWSP}alice and bob@${ZWSP}example.com`);
    expect(out).not.toMatch(/@\w/);
  });

  it('makes bare URLs and www. addresses non-clickable', () => {
    // Act
    const out = escapeInline('see https://evil.example/x and WWW.evil.example or mailto:a');

    // Assess
    expect(out).not.toMatch(/:\/\//);
    expect(out).not.toMatch(/www\./i);
    expect(out).toContain(`https:${ZWSP}//evil.example/x`);
    expect(out).toContain(`mailto${ZWSP}:a`);
  });

  it('escapes a markdown link with a URL on both counts', () => {
    // Act
    const out = escapeInline('[link](http://evil)');

    // Assess
    expect(out).toBe(`\\[link\\]\\(http:${ZWSP}//evil\\)`);
  });

  it('neutralises emphasis, code, strikethrough, math and table pipes', () => {
    // Act
    const out = escapeInline('*a* _b_ `c` ~~d~~ $e$ |f| \\g');

    // Assess
    expect(out).toBe('\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ \\$e\\$ \\|f\\| \\\\g');
  });

  it('neutralises what would start a block at the start of a line', () => {
    // Act
    const out = ['# title', '> quote', '- item', '+ item', '1. item', '12) item', '=== ', '    code'].map((s) => escapeInline(s));

    // Assess
    expect(out).toEqual(['\\# title', '&gt; quote', '\\- item', '\\+ item', '1\\. item', '12\\) item', '\\=== ', '\u00A0\u00A0\u00A0\u00A0code'].map((s) => s.replace(/ $/, '\u00A0')));
  });

  it('keeps a value on one line: every kind of line break becomes a visible mark', () => {
    // Act
    const out = escapeInline('a\nb\r\nc\rd\u2028e\u2029f\u0085g');

    // Assess
    expect(out).toBe('a⏎b⏎c⏎d⏎e⏎f⏎g');
  });

  it('shows bidi overrides and other invisible characters instead of obeying them', () => {
    // Act
    const out = escapeInline('abc\u202Eexe.txt\u200B\u0000\u{E0041}');

    // Assess
    expect(out).not.toContain('\u202E');
    expect(out).not.toContain('\u0000');
    expect(out).not.toContain('\u{E0041}');
    expect(out).toContain('⟨U\\+202E⟩');
    expect(out).toContain('⟨U\\+E0041⟩');
  });

  it('replaces lone surrogates so the comment stays valid UTF-8', () => {
    // Act
    const out = escapeInline('a\uD800b\uDC00c😀');

    // Assess
    expect(out).toBe('a\uFFFDb\uFFFDc😀');
  });

  it('bounds a 10,000-character value when given a maximum', () => {
    // Act
    const out = escapeInline('x'.repeat(10_000), 100);

    // Assess
    expect(out).toHaveLength(100);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('Function: code', () => {
  it('wraps plain text in single backticks', () => {
    // Act & assess
    expect(code('environments/prod')).toBe('`environments/prod`');
  });

  it('uses a fence longer than any backtick run inside', () => {
    // Act
    const out = code('a ``` b ` c');

    // Assess
    expect(out).toBe('````a ``` b ` c````');
  });

  it('pads content that starts or ends with a backtick', () => {
    // Act & assess
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('`')).toBe('`` ` ``');
  });

  it('pads content that starts and ends with a space so both spaces survive', () => {
    // Act & assess
    expect(code(' x ')).toBe('`  x  `');
    expect(code('   ')).toBe('`   `');
  });

  it('renders an empty value as a visible space', () => {
    // Act & assess
    expect(code('')).toBe('` `');
  });

  it('escapes pipes only for table cells', () => {
    // Act & assess
    expect(code('a|b', { table: true })).toBe('`a\\|b`');
    expect(code('a|b')).toBe('`a|b`');
  });

  it('keeps a backslash before a pipe from ending the table cell', () => {
    // Act
    const row = `| ${code('x\\|[click](http://evil)\\', { table: true })} | b |`;

    // Assess: GFM pairs backslashes left to right, so `\\|` would be an escaped backslash and a cell separator
    expect(row).toContain(`x\\${ZWSP}\\|[click]`);
    expect(cellSeparators(row)).toBe(3);
  });

  it('keeps a code span on one line and shows invisible characters', () => {
    // Act
    const out = code('a\nb\u202Ec');

    // Assess
    expect(out).toBe('`a⏎b⟨U+202E⟩c`');
  });

  it('cuts a long value with an ellipsis when given a maximum', () => {
    // Act
    const out = code('`'.repeat(10_000), { max: 20 });

    // Assess: 19 backticks and an ellipsis, fenced by 20 backticks and a space on each side
    expect(out.length).toBeLessThanOrEqual(3 * 20 + 2);
    expect(out).toContain('…');
  });
});

describe('Function: truncate', () => {
  it('returns short text unchanged', () => {
    // Act & assess
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('cuts to the maximum including the ellipsis', () => {
    // Act & assess
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcdef', 1)).toBe('…');
    expect(truncate('abcdef', 0)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    // Act
    const out = truncate('a😀😀', 3);

    // Assess
    expect(out).toBe('a…');
  });
});

describe('Function: sanitize', () => {
  it('leaves ordinary text, emoji and accents alone', () => {
    // Act & assess
    expect(sanitize('Équipe 🚀 — ok')).toBe('Équipe 🚀 — ok');
  });
});

describe('Function: shellQuote', () => {
  it('leaves a plain word alone and single-quotes anything else', () => {
    // Act & assess
    expect(shellQuote('prod-eu_1')).toBe('prod-eu_1');
    expect(shellQuote('a;rm -rf ~')).toBe("'a;rm -rf ~'");
    expect(shellQuote("it's$(x)")).toBe("'it'\\''s$(x)'");
    expect(shellQuote('')).toBe("''");
  });

  it('writes --name=value for a value that looks like an option', () => {
    // Act & assess
    expect(shellOption('env', '-x')).toBe('--env=-x');
    expect(shellOption('env', 'prod')).toBe('--env prod');
  });
});
