/**
 * Server text a person must never be shown as it came: the hidden characters the tests put in a
 * device name, and the pattern that finds any of them (or a stack of accents) left in the output.
 */

/** Zero-width space, non-joiner and joiner, word joiner, BOM, soft hyphen, two tag characters. */
export const HIDDEN = '\u200b\u200c\u200d\u2060\ufeff\u00ad\u{e0041}\u{e007f}';

/** "Pixel 8" with every hidden character and 60 stacked accents in it. */
export const HIDDEN_DEVICE_NAME = `Pi${HIDDEN}xel${'\u0301'.repeat(60)} 8`;

/** Any of HIDDEN, or more than three accents on one letter. */
export const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]|\u{e0041}|\u{e007f}|\u0301{4,}/u;
