// GET /status/feed.atom: the public updates as an Atom 1.0 feed (RFC 4287). Ids are stable URNs
// (urn:uuid: of the update's own id; the feed's from the page's id), content is type="text", and
// every string goes through escapeMarkup, which also drops characters XML does not allow.
import type { StatusPageSnapshot } from "../incidents/publicStatus.js";
import { escapeMarkup } from "./markdown.js";
import { STATUS_WORDS } from "./vocabulary.js";

/** Feed readers need only recent entries; older ones stay on the page. */
const MAX_ENTRIES = 50;

export interface AtomOptions {
  title: string;
  /** The feed's own id, a UUID that stays the same for this page. */
  feedUuid: string;
  /** Absolute base URL of the page as the client reached it, e.g. https://status.example.com. */
  baseUrl: string;
}

export function renderAtomFeed(snapshot: StatusPageSnapshot, options: AtomOptions): string {
  const entries = snapshot.incidents
    .flatMap((incident) => incident.updates.map((update) => ({ incident, update })))
    .sort((a, b) => b.update.publishedAt.getTime() - a.update.publishedAt.getTime())
    .slice(0, MAX_ENTRIES);
  const updated = (snapshot.lastChangedAt ?? snapshot.readAt).toISOString();
  const base = escapeMarkup(options.baseUrl);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>urn:uuid:${options.feedUuid}</id>
<title type="text">${escapeMarkup(options.title)}</title>
<updated>${updated}</updated>
<link rel="self" type="application/atom+xml" href="${base}/status/feed.atom"/>
<link rel="alternate" type="text/html" href="${base}/status"/>
<author><name>${escapeMarkup(options.title)}</name></author>
${entries
  .map(
    ({ incident, update }) => `<entry>
<id>urn:uuid:${update.id}</id>
<title type="text">${escapeMarkup(`${incident.title}: ${STATUS_WORDS[update.status]}`)}</title>
<updated>${update.publishedAt.toISOString()}</updated>
<published>${update.publishedAt.toISOString()}</published>
<link rel="alternate" type="text/html" href="${base}/status#incident-${incident.number}"/>
<content type="text">${escapeMarkup(update.text)}</content>
</entry>`,
  )
  .join("\n")}
</feed>
`;
}
