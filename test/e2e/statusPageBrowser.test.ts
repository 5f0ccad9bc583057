// The status page in a real browser: Debian's Chromium, headless, driven by playwright-core. The
// page renders with its own stylesheet (so the CSP hash is right) and nothing blocked or failing,
// its landmarks and headings have accessible names, a screenshot is taken, and the Atom feed
// parses with the browser's XML parser. CI installs chromium and sets REQUIRE_CHROMIUM (.ci/run), so
// there a missing browser fails the run; on a developer's machine without it, this one test is
// skipped with a note saying how to run it, so the README's test command stays true everywhere.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { TestBot } from "../support/testBot.js";

/** What the page's own scripts see (the project compiles without the DOM library). */
interface BrowserElement {
  textContent: string | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<BrowserElement>;
}
interface BrowserWindow {
  getComputedStyle(element: unknown): { fontSize: string };
  DOMParser: new () => {
    parseFromString(
      text: string,
      type: string,
    ): BrowserElement & {
      documentElement: { namespaceURI: string | null; localName: string };
      getElementsByTagName(name: string): ArrayLike<BrowserElement>;
    };
  };
}

const CHROMIUM = "/usr/bin/chromium";
const INSTALL_HINT = `Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (CI's .ci/run installs it before the tests).`;
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.REQUIRE_CHROMIUM) process.stderr.write(`Skipping the status page's browser test. ${INSTALL_HINT}\n`);
const browserTest = haveChromium || process.env.REQUIRE_CHROMIUM ? it : it.skip;

let bot: TestBot | undefined;
let context: BrowserContext | undefined;
let tempDir: string | undefined;
afterEach(async () => {
  await context?.close();
  await bot?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

describe("status page in headless Chromium", () => {
  browserTest("renders the incident and its updates accessibly, and the feed parses as XML", async () => {
    if (!haveChromium) throw new Error(INSTALL_HINT);
    bot = await TestBot.start({ env: { STATUS_PAGE: "true", STATUS_PAGE_TITLE: "Acme status" } });
    const incident = await bot.declare("Internal name of the outage sev2");
    const { prisma } = bot.bot.database;
    await prisma.incident.update({ where: { id: incident.id }, data: { publicTitle: "Slow logins" } });
    const now = new Date();
    await prisma.stakeholderUpdate.create({
      data: {
        incidentId: incident.id,
        sourceKey: "command:browser-1",
        public: true,
        text: "Logins are slow; we are on it.",
        status: "investigating",
        postedBy: "UCAROL",
        createdAt: now,
        publishedAt: now,
      },
    });

    tempDir = await mkdtemp(join(tmpdir(), "status-page-browser-"));
    // A fresh profile (launchPersistentContext's directory is Chromium's --user-data-dir).
    context = await chromium.launchPersistentContext(join(tempDir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));

    const response = await page.goto(`${bot.url}/status`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe("Acme status");
    await expect(page.getByRole("heading", { level: 1, name: "Acme status" }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("main").isVisible()).resolves.toBe(true);
    await expect(page.getByRole("region", { name: "Open incidents" }).isVisible()).resolves.toBe(true);
    const article = page.getByRole("article", { name: "Slow logins" });
    await expect(article.isVisible()).resolves.toBe(true);
    await expect(article.getByRole("heading", { level: 3, name: "Slow logins" }).isVisible()).resolves.toBe(true);
    await expect(article.getByRole("list", { name: "Updates" }).getByRole("listitem").count()).resolves.toBe(1);
    await expect(article.getByText("Logins are slow; we are on it.").isVisible()).resolves.toBe(true);
    const times = await article.locator("time").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("datetime")));
    expect(times).toContain(now.toISOString());
    await expect(page.getByText("Internal name of the outage").count()).resolves.toBe(0);
    // The inline stylesheet applied (the CSP allows it by hash): the h1 is 1.75rem, not the default 2em.
    expect(await page.locator("h1").evaluate((h1) => (globalThis as unknown as BrowserWindow).getComputedStyle(h1).fontSize)).toBe("28px");
    // Nothing refused by the CSP, no script errors, and nothing loaded but the page itself.
    expect(problems).toEqual([]);
    expect(requests).toEqual([`${bot.url}/status`]);

    const screenshotPath = join(tempDir, "status.png");
    await page.screenshot({ path: screenshotPath, fullPage: true });
    const png = await readFile(screenshotPath);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    // The Atom feed through the browser's own XML parser.
    const feed = await (await fetch(`${bot.url}/status/feed.atom`)).text();
    await page.goto("about:blank");
    const parsed = await page.evaluate((xml) => {
      const doc = new (globalThis as unknown as BrowserWindow).DOMParser().parseFromString(xml, "application/xml");
      const atom = "http://www.w3.org/2005/Atom";
      return {
        error: doc.getElementsByTagName("parsererror")[0]?.textContent ?? null,
        root: `${doc.documentElement.namespaceURI} ${doc.documentElement.localName}`,
        entries: Array.from(doc.getElementsByTagNameNS(atom, "entry")).map((e) => ({
          title: e.getElementsByTagNameNS(atom, "title")[0]?.textContent,
          content: e.getElementsByTagNameNS(atom, "content")[0]?.textContent,
        })),
      };
    }, feed);
    expect(parsed).toEqual({
      error: null,
      root: "http://www.w3.org/2005/Atom feed",
      entries: [{ title: "Slow logins: Investigating", content: "Logins are slow; we are on it." }],
    });
  });
});
