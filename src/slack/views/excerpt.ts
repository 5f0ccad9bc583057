// Shortening text people typed (Slack markup, possibly 40,000 characters) to fit a block, without
// breaking it: a cut never leaves half a `<…>` link or mention, an open code span or fence, or half
// an `&amp;` entity, any of which would swallow or garble what follows. Where a cut hides text, the
// view that calls this says where the whole text is.

/** The text on one line, at most `max` characters (an ellipsis marks a cut). */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max - 1);
  // Half a Slack token (`<https://…|label>`, `<@U1>`) or entity (`&amp;`): drop it whole.
  const open = cut.lastIndexOf("<");
  if (open > cut.lastIndexOf(">")) cut = cut.slice(0, open);
  cut = cut.replace(/&[a-z]*$/, "");
  // An odd number of fences or backticks left open would format the rest as code.
  if ((cut.match(/```/g) ?? []).length % 2 === 1) cut = cut.slice(0, cut.lastIndexOf("```"));
  if ((cut.replace(/```/g, "").match(/`/g) ?? []).length % 2 === 1) cut = cut.slice(0, cut.lastIndexOf("`"));
  return `${cut.trimEnd()}…`;
}

/** Plain words for a modal's text input (no Slack markup): names and labels as shown, at most `max` characters. */
export function plainExcerpt(text: string, max: number): string {
  const plain = text
    .replace(/<([@#])([A-Z0-9]+)(?:\|([^<>]*))?>/g, (_m, sigil: string, id: string, label?: string) => `${sigil}${label || id}`)
    .replace(/<!([a-z]+)(?:\^[^|<>]*)?(?:\|([^<>]*))?>/g, (_m, word: string, label?: string) => label ?? `@${word}`)
    .replace(/<([^<>|]+)\|([^<>]*)>/g, "$2")
    .replace(/<([^<>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[*_~`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max - 1);
  const word = cut.lastIndexOf(" ");
  return `${(word > max / 2 ? cut.slice(0, word) : cut).trimEnd()}…`;
}

/** A name (an app's, a channel's) shown inside mrkdwn: no character that would format or link. */
export const nameInMrkdwn = (name: string, max = 40) => plainExcerpt(name, max).replace(/[<>&*_~`|]/g, "");
