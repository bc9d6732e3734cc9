/**
 * The Content-Security-Policy of the built site (issue 5): no inline or foreign scripts; fetches only
 * to this site and the Hugging Face Hub (config.json may redirect to its CDN hosts). Injected as a
 * <meta> at build time only (vite.config.ts): the dev server needs inline scripts for hot reload.
 * Styles allow 'unsafe-inline' because React and recharts set `style` attributes (positions, colours).
 * Hub hosts: huggingface.co answers the API and resolve/ URLs; LFS and Xet files redirect to
 * cdn-lfs*.hf.co / cas-bridge.xethub.hf.co (a CSP `*.hf.co` matches any depth of subdomain).
 */
import type { Plugin } from 'vite';

export const HUB_CONNECT_SOURCES = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'] as const;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  `connect-src 'self' ${HUB_CONNECT_SOURCES.join(' ')}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** The <meta> tag, right after the charset (which must come first) and before any script or style. */
export function injectCsp(html: string): string {
  const tag = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
  const charset = /<meta charset="[^"]*"\s*\/?>/i.exec(html);
  if (charset) return html.replace(charset[0], `${charset[0]}\n    ${tag}`);
  return html.replace('<head>', `<head>\n    ${tag}`);
}

/** The Vite plugin (vite.config.ts): build only, because the dev server injects inline HMR scripts. */
export function contentSecurityPolicyPlugin(): Plugin {
  return { name: 'content-security-policy', apply: 'build', transformIndexHtml: (html: string) => injectCsp(html) };
}
