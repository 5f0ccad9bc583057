// Shortening text people typed (Slack markup, possibly 40,000 characters) to one line of a block,
// without breaking it: cutText (../fit.ts) never leaves half a `<…>` link or mention, half an
// `&amp;` entity or an open code fence. Where a cut hides text, the view that calls this says
// where the whole text is.
import { decodeSlackEscapes } from "../../incidents/slackEscapes.js";
import { cutText } from "../fit.js";

/** The text on one line, at most `max` characters (an ellipsis marks a cut). */
export const excerpt = (text: string, max: number): string => cutText(text.replace(/\s+/g, " ").trim(), max);

/** Plain words for a modal's text input (no Slack markup): names and labels as shown, at most `max` characters. */
export function plainExcerpt(text: string, max: number): string {
  const plain = decodeSlackEscapes(
    text
      .replace(/<([@#])([A-Z0-9]+)(?:\|([^<>]*))?>/g, (_m, sigil: string, id: string, label?: string) => `${sigil}${label || id}`)
      .replace(/<!([a-z]+)(?:\^[^|<>]*)?(?:\|([^<>]*))?>/g, (_m, word: string, label?: string) => label ?? `@${word}`)
      .replace(/<([^<>|]+)\|([^<>]*)>/g, "$2")
      .replace(/<([^<>]+)>/g, "$1"),
  )
    .replace(/[*_~`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (plain.length <= max) return plain;
  // Plain words hold no token to keep whole: cut between words unless that loses more than half.
  const cut = plain.slice(0, max - 1);
  const word = cut.lastIndexOf(" ");
  return `${(word > max / 2 ? cut.slice(0, word) : cut).trimEnd()}…`;
}

/** A name (an app's, a channel's) shown inside mrkdwn: no character that would format or link. */
export const nameInMrkdwn = (name: string, max = 40) => plainExcerpt(name, max).replace(/[<>&*_~`|]/g, "");
