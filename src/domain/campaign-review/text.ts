/**
 * Reading campaign text the way a reviewer does: words regardless of case and punctuation, links,
 * phone numbers, placeholders. Imported by workflow code: pure functions, no Node built-ins.
 */

/**
 * Lower case, accents removed, every run of characters that are not letters or digits one space,
 * padded with a space at both ends: `folded.includes(fold('opt out'))` is a whole-word search
 * that also finds "Opt-Out" and "opt-out.".
 */
export function fold(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ` ${words} `;
}

/** Whether `phrase` occurs in `text` as whole words (case, accents and punctuation ignored). */
export function hasPhrase(text: string, phrase: string): boolean {
  const needle = fold(phrase);
  return needle.trim() !== '' && fold(text).includes(needle);
}

/** Whether any pattern matches the folded text (patterns are written against fold()'s output). */
export function matchesFolded(text: string, patterns: readonly RegExp[]): boolean {
  const folded = fold(text);
  return patterns.some((p) => p.test(folded));
}

/** Legal-form words a brand name carries that messages usually leave out ("Acme Bakery LLC"). */
const LEGAL_FORM =
  / (?:l ?l ?c|p ?l ?l ?c|l ?l ?p|l ?p|inc|incorporated|co|corp|corporation|company|ltd|limited) $/;

/** The folded forms of a name a message may use: as registered, and without its legal form. */
function nameForms(name: string): string[] {
  const full = fold(name);
  const short = full.replace(LEGAL_FORM, ' ');
  return [...new Set([full, short])].filter((f) => f.trim() !== '');
}

/** Whether the text names one of the businesses (whole words, legal form optional). */
export function namesBusiness(text: string, names: readonly string[]): boolean {
  const folded = fold(text);
  return names.some((name) => nameForms(name).some((form) => folded.includes(form)));
}

// ---- Links and phone numbers

/** Top-level domains a bare link in a text message ends with (and the ones public shorteners use). */
const TLDS = [
  'com',
  'net',
  'org',
  'io',
  'co',
  'us',
  'biz',
  'info',
  'app',
  'shop',
  'store',
  'me',
  'site',
  'online',
  'edu',
  'gov',
  'ca',
  'ai',
  'health',
  'care',
  'ly',
  'gl',
  'gd',
  'cc',
  'gy',
  'at',
  'link',
];
const LINK = new RegExp(
  String.raw`\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${TLDS.join('|')})\b(?:\/[^\s<>"']*)?`,
  'gi',
);
const EMAIL = /[^\s@<>"']+@[^\s@<>"']+\.[a-z]{2,}/gi;
/** A templated link: `[tracking link]`, `[URL]`, `[website]`. */
const LINK_PLACEHOLDER = /\[[^\]]*\b(?:link|url|website|web address)\b[^\]]*\]/i;

/** The links in a text (email addresses are not links); a bracketed link placeholder counts as one. */
export function linksIn(text: string): string[] {
  const withoutEmails = text.replace(EMAIL, ' ');
  const links = [...withoutEmails.matchAll(LINK)].map((m) => m[0].replace(/[.,;:!?)]+$/, ''));
  const placeholder = LINK_PLACEHOLDER.exec(text);
  return placeholder ? [...links, placeholder[0]] : links;
}

/** The host of a link (`bit.ly` of `https://bit.ly/x`), lower case, without `www.`. */
export function hostOf(link: string): string {
  return link
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .split(/[/?#]/)[0]
    .toLowerCase();
}

/**
 * A North American number written any usual way (+1 415 555 0123, (415) 555-0123, 415.555.0123),
 * an international E.164 number, or a bracketed phone placeholder (`[phone number]`).
 */
const PHONE = [
  /(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b/,
  /\+\d{8,15}\b/,
  /\[[^\]]*\b(?:phone|tel|telephone|mobile number|call ?back number)\b[^\]]*\]/i,
];

export function hasPhoneNumber(text: string): boolean {
  return PHONE.some((p) => p.test(text));
}

// ---- Words

/** Words that say nothing about what a campaign is for. */
const FILLER = new Set(
  (
    'the a an and or but for nor of to in on at by from with without into onto about as is are was were be ' +
    'been being it its this that these those there here their them they you your yours our ours we us i me ' +
    'my he she his her who whom whose which what when where why how all any each every some no not only ' +
    'just also very can could will would shall should may might must do does did done have has had get gets ' +
    'got so if then than up out over under again more most other such own same too via per etc am pm ' +
    'reply replies text texts texting sms msg msgs message messages messaging stop help opt opted optin ' +
    'data rate rates apply frequency varies freq info information hi hello hey dear thanks thank please ' +
    'today tomorrow now new one two three use used using send sends sent sending receive receives ' +
    'campaign campaigns end'
  ).split(' '),
);

/** A crude stem, enough to match "reminders" to "reminder" and "booked" to "booking". */
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** The stems of the words that carry meaning (three letters or more, not filler, not a number). */
export function contentWords(text: string, exclude: readonly string[] = []): Set<string> {
  const excluded = new Set(exclude.flatMap((e) => fold(e).trim().split(' ')).filter(Boolean));
  return new Set(
    fold(text)
      .trim()
      .split(' ')
      .filter((w) => w.length >= 3 && !FILLER.has(w) && !excluded.has(w) && !/^\d+$/.test(w))
      .map(stem),
  );
}
