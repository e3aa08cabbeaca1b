import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HeaderTitle } from './Header';

describe('the page before its script', () => {
  it("index.html's first words are the title React renders, so nothing changes or moves when it replaces them", () => {
    const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
    const shell = /<header class="header">(.*?)<\/header>/s.exec(html)?.[1];
    expect(shell).toBe(renderToStaticMarkup(<HeaderTitle />));
  });
});
