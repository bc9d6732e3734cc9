/**
 * Hub model ids: what users type or paste, checked before any request is made.
 */
import { err, ok, type Result } from '../engine/result';
import type { HubError } from './errors';

/**
 * One repo-id part: word characters, '-' and '.', starting and ending with a word character, at most
 * 96 characters (huggingface_hub `validate_repo_id`: REPO_ID_REGEX and the 96-character name limit).
 */
const ID_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;

/** Pasted page URLs: https://huggingface.co/org/name/tree/main → org/name. */
const HUB_URL_PREFIX = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\//i;

function isValidPart(part: string): boolean {
  // '--' and '..' are refused by the Hub (validate_repo_id), as is a trailing '.git'.
  return ID_PART.test(part) && !part.includes('--') && !part.includes('..') && !part.endsWith('.git');
}

/**
 * Trims, strips a pasted huggingface.co URL down to `org/name`, and validates. Legacy single-name ids
 * (`gpt2`) are accepted: the Hub still redirects them.
 */
export function normalizeModelId(input: string): Result<string, HubError> {
  let text = input.trim();
  if (HUB_URL_PREFIX.test(text)) {
    // org/name[/tree/main/...][?query][#hash] → first two path segments.
    text = text.replace(HUB_URL_PREFIX, '').split(/[?#]/)[0] ?? '';
    text = text.split('/').slice(0, 2).join('/');
  }
  const parts = text.split('/');
  const valid = (parts.length === 1 || parts.length === 2) && parts.every(isValidPart);
  return valid ? ok(text) : err({ kind: 'invalid-id', modelId: input });
}
