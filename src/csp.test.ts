import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicyPlugin, injectCsp } from './csp';

const directive = (name: string): string[] =>
  (CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith(`${name} `)) ?? '').split(' ').slice(1);

/** A CSP host source with a leading '*.' matches the host and any depth of subdomain (CSP3 §6.7.2.7). */
function allows(sources: readonly string[], url: string): boolean {
  const { protocol, host } = new URL(url);
  return sources.some((s) => {
    const m = /^(https:)\/\/(\*\.)?(.+)$/.exec(s);
    if (m === null || m[1] !== protocol) return false;
    return m[2] === undefined ? host === m[3] : host.endsWith(`.${m[3] ?? ''}`);
  });
}

describe('Content-Security-Policy', () => {
  it('forbids inline and foreign scripts and plugins', () => {
    expect(directive('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(directive('object-src')).toEqual(["'none'"]);
    expect(directive('worker-src')).toEqual(["'self'", 'blob:']);
  });

  it('allows fetches only to the site and the Hub, including the CDN hosts downloads redirect to', () => {
    const connect = directive('connect-src');
    expect(connect[0]).toBe("'self'");
    expect(connect.slice(1).every((s) => /^https:\/\/(\*\.)?(huggingface\.co|hf\.co)$/.test(s))).toBe(true);
    for (const url of ['https://huggingface.co/api/models/x', 'https://cdn-lfs.hf.co/a', 'https://cdn-lfs-us-1.hf.co/a', 'https://cas-bridge.xethub.hf.co/a']) {
      expect(allows(connect, url)).toBe(true);
    }
    for (const url of ['https://evil.example/x', 'http://huggingface.co/x', 'https://huggingface.co.evil.example/x', 'https://nothf.co/x']) {
      expect(allows(connect, url)).toBe(false);
    }
  });

  it('injectCsp puts the meta tag after the charset and before any script', () => {
    const html = injectCsp('<html><head><meta charset="UTF-8" /><script type="module" src="./a.js"></script></head></html>');
    expect(html.indexOf('<meta charset')).toBeLessThan(html.indexOf('Content-Security-Policy'));
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('the Vite plugin runs at build time only and rewrites the real index.html', () => {
    const plugin = contentSecurityPolicyPlugin();
    expect(plugin.apply).toBe('build');
    const transform = plugin.transformIndexHtml;
    if (typeof transform !== 'function') throw new Error('transformIndexHtml is not a plain function');
    const indexHtml = readFileSync(fileURLToPath(new URL('../index.html', import.meta.url)), 'utf8');
    const out: unknown = Reflect.apply(transform, undefined, [indexHtml, { path: '/index.html', filename: 'index.html' }]);
    expect(out).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`);
    // The page itself has no inline script the policy would block.
    expect(String(out)).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
