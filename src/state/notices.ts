/**
 * Messages about input the page did not use, each tagged with where that input came from, so the
 * notice box can say what happened (a link's rejected values are not a reset of saved data).
 */

/**
 * - 'link': values in the page's link (URL fragment) that were rejected;
 * - 'scenario': values in a saved scenario that were rejected when it was loaded;
 * - 'saved-data': data saved in this browser (localStorage, savedWork.ts) that was unreadable and reset.
 */
export const NOTICE_ORIGINS = ['link', 'scenario', 'saved-data'] as const;
export type NoticeOrigin = (typeof NOTICE_ORIGINS)[number];

export interface Notice {
  origin: NoticeOrigin;
  /** One sentence, shown as text (never HTML: links are untrusted). */
  text: string;
}

/** Tags sentences from one origin. */
export function noticesFrom(origin: NoticeOrigin, texts: readonly string[]): Notice[] {
  return texts.map((text) => ({ origin, text }));
}
