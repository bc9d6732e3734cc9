import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, injectCsp } from './csp';

describe('Content-Security-Policy', () => {
  it('forbids inline scripts and limits fetches to the site and the Hub', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
    const connect = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('connect-src')) ?? '';
    expect(connect.split(' ').slice(1).every((s) => s === "'self'" || /^https:\/\/(\*\.)?(huggingface\.co|hf\.co)$/.test(s))).toBe(true);
  });

  it('injectCsp puts the meta tag at the top of <head>', () => {
    const html = injectCsp('<html><head><script type="module" src="./a.js"></script></head></html>');
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });
});
