// GET /status: one self-contained, accessible HTML page. No scripts, no external assets; one
// small inline stylesheet allowed by its hash in the Content-Security-Policy. Landmarks (header,
// main, footer), one h1, a heading per section and per incident, lists for updates, and every time
// as <time datetime="UTC ISO"> showing the team's zone by name. Everything shown is escaped.
import { createHash } from "node:crypto";
import { formatMoment, zoneAbbreviation } from "../incidents/time/format.js";
import { impactOf, STATUS_PAGE_HISTORY_DAYS, type PublicIncident, type StatusPageSnapshot } from "../incidents/publicStatus.js";
import { escapeMarkup, markdownToSafeHtml } from "./markdown.js";
import { IMPACT_WORDS, STATUS_WORDS } from "./vocabulary.js";

// Colours checked for WCAG AA contrast (text on its background, at least 4.5:1; most above 7:1).
const STYLESHEET = `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#4a4a4a;--line:#d0d0d0;--link:#0b4f9c}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem}
header{border-bottom:1px solid var(--line)}
h1{font-size:1.75rem;margin:.5rem 0}
h2{font-size:1.35rem;margin:2rem 0 .75rem}
h3{font-size:1.15rem;margin:0 0 .25rem}
h4,h5,h6{font-size:1rem;margin:1rem 0 .25rem}
a{color:var(--link)}
a:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.overall{font-weight:600;padding:.75rem 1rem;border-radius:.25rem;margin:.5rem 0}
.overall.ok{background:#e5f4ea;color:#0b4a1f}
.overall.incident{background:#fdeceb;color:#7d1610}
.incidents{list-style:none;padding:0;margin:0}
.incident{border:1px solid var(--line);border-radius:.375rem;padding:1rem;margin:0 0 1rem}
.meta{color:var(--muted);margin:0 0 .5rem}
.badge{display:inline-block;font-weight:600;font-size:.875rem;padding:0 .5rem;border-radius:1rem;border:1px solid currentColor}
.badge.open{color:#7d1610;background:#fdeceb}
.badge.resolved{color:#0b4a1f;background:#e5f4ea}
.updates{list-style:none;padding:0;margin:0}
.updates li{border-left:3px solid var(--line);padding:.25rem 0 .25rem .75rem;margin:0 0 .75rem}
.update-text{white-space:pre-wrap;margin:.25rem 0 0;overflow-wrap:anywhere}
.summary{border-top:1px solid var(--line);margin-top:1rem}
.summary pre{white-space:pre-wrap;background:#f3f3f3;padding:.5rem}
.summary table{border-collapse:collapse}
.summary td,.summary th{border:1px solid var(--line);padding:.25rem .5rem}
footer{color:var(--muted);border-top:1px solid var(--line);font-size:.9rem}
`.trim();

/** The page's Content-Security-Policy: nothing may load or run; only this page's own stylesheet applies. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STYLESHEET).digest("base64")}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export interface StatusHtmlOptions {
  title: string;
  timeZone: string;
}

/** The page's feeds and its JSON, linked from the footer. */
const FEEDS =
  '<a href="/status/feed.atom">Atom feed</a> · <a href="/api/v2/summary.json">summary.json</a> · ' +
  '<a href="/api/v2/incidents.json">incidents.json</a>';

const time = (at: Date, timeZone: string) =>
  `<time datetime="${at.toISOString()}">${escapeMarkup(formatMoment(at, timeZone, "full"))}</time>`;

/** Each incident's post-incident summary as HTML, by incident number (parsed before the page is written). */
type SummariesHtml = ReadonlyMap<number, string>;

async function summariesHtml(incidents: PublicIncident[]): Promise<SummariesHtml> {
  const rendered = await Promise.all(
    incidents.flatMap((incident) =>
      incident.publicSummary
        ? [
            markdownToSafeHtml(incident.publicSummary, { headingOffset: 3, dropLeadingTitle: true }).then(
              (html) => [incident.number, html] as const,
            ),
          ]
        : [],
    ),
  );
  return new Map(rendered);
}

function renderIncident(incident: PublicIncident, timeZone: string, summaries: SummariesHtml): string {
  const id = `incident-${incident.number}`;
  const open = incident.status !== "resolved";
  const updates = incident.updates.length
    ? `<h4 id="${id}-updates">Updates</h4>
<ol class="updates" reversed aria-labelledby="${id}-updates">
${incident.updates
  .map(
    (u) => `<li><p class="meta"><strong>${STATUS_WORDS[u.status]}</strong> · ${time(u.publishedAt, timeZone)}</p>
<p class="update-text">${escapeMarkup(u.text)}</p></li>`,
  )
  .join("\n")}
</ol>`
    : "";
  const summaryHtml = summaries.get(incident.number);
  const summary = summaryHtml
    ? `<section class="summary" aria-labelledby="${id}-summary"><h4 id="${id}-summary">Post-incident summary</h4>
${summaryHtml}
</section>`
    : "";
  const badge = `<span class="badge ${open ? "open" : "resolved"}">${STATUS_WORDS[incident.status]}</span>`;
  const resolved = incident.resolvedAt && !open ? ` · resolved ${time(incident.resolvedAt, timeZone)}` : "";
  return `<li><article class="incident" id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title">${escapeMarkup(incident.title)}</h3>
<p class="meta">${badge} ${IMPACT_WORDS[impactOf(incident.severity)]} · began ${time(incident.declaredAt, timeZone)}${resolved}</p>
${updates}
${summary}
</article></li>`;
}

function renderSection(
  id: string,
  heading: string,
  incidents: PublicIncident[],
  empty: string,
  timeZone: string,
  summaries: SummariesHtml,
): string {
  return `<section aria-labelledby="${id}">
<h2 id="${id}">${heading}</h2>
${incidents.length ? `<ul class="incidents">\n${incidents.map((i) => renderIncident(i, timeZone, summaries)).join("\n")}\n</ul>` : `<p>${empty}</p>`}
</section>`;
}

export async function renderStatusHtml(snapshot: StatusPageSnapshot, options: StatusHtmlOptions): Promise<string> {
  const { timeZone } = options;
  const summaries = await summariesHtml(snapshot.incidents);
  const open = snapshot.incidents.filter((i) => i.status !== "resolved");
  const past = snapshot.incidents.filter((i) => i.status === "resolved");
  const title = escapeMarkup(options.title);
  const days = STATUS_PAGE_HISTORY_DAYS;
  const overall = open.length
    ? `<p class="overall incident">${open.length === 1 ? "1 open incident" : `${open.length} open incidents`}</p>`
    : `<p class="overall ok">No open incidents</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="alternate" type="application/atom+xml" title="${title}: updates" href="/status/feed.atom">
<style>${STYLESHEET}</style>
</head>
<body>
<a class="skip" href="#main">Skip to incidents</a>
<header>
<h1>${title}</h1>
${overall}
</header>
<main id="main">
${renderSection("open-incidents", "Open incidents", open, "There are no open incidents.", timeZone, summaries)}
${renderSection("past-incidents", `Past incidents (last ${days} days)`, past, `No incidents in the last ${days} days.`, timeZone, summaries)}
</main>
<footer>
<p>Times are shown in ${escapeMarkup(timeZone)} (${escapeMarkup(zoneAbbreviation(snapshot.readAt, timeZone))}).</p>
<p>Follow updates: ${FEEDS}</p>
</footer>
</body>
</html>
`;
}
