// The store contracts, checked the same way against the in-memory stores the use-case specs run on
// (test/support/memoryStores.ts) and the Prisma stores production runs on. A fake kinder than the
// real store (storing a redelivered entry twice, ignoring a stale version, ordering by accident)
// would let a use-case spec pass that fails in production; here both must give the same answers.
import type { Stores } from "../../src/incidents/deps.js";
import type { ActionItem, Incident } from "../../src/incidents/model.js";
import type { CapturedMessage, NewTypedEntry } from "../../src/incidents/ports/incidentStore.js";
import { openDatabase } from "../../src/database/database.js";
import { prismaStores } from "../../src/store/prismaStores.js";
import { memoryStores } from "../support/memoryStores.js";
import { createTestDatabase } from "../support/testDatabase.js";

const T0 = new Date("2026-03-02T10:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
/** Slack's ts for a moment (seconds.micro). */
const tsAt = (minutes: number, micro = 0) => `${at(minutes).getTime() / 1000}.${String(micro).padStart(6, "0")}`;
const message = (ts: string, text: string, extra: Partial<CapturedMessage> = {}): CapturedMessage => ({
  ts,
  threadTs: null,
  authorId: "UALICE",
  text,
  files: [],
  ...extra,
});
const log = (sourceKey: string, text: string, minutes: number): NewTypedEntry => ({
  sourceKey,
  kind: "log",
  text,
  occurredAt: at(minutes),
  authorId: "UALICE",
});

interface Harness {
  stores: Stores;
  close(): Promise<void>;
}

const implementations: [string, () => Promise<Harness>][] = [
  ["memory", async () => ({ stores: memoryStores(), close: async () => {} })],
  [
    "Prisma",
    async () => {
      const testDatabase = await createTestDatabase();
      const database = await openDatabase(testDatabase.config, { pglite: testDatabase.pglite, onMigrated: () => {} });
      return {
        stores: prismaStores(database),
        close: async () => {
          await database.close();
          await testDatabase.dispose();
        },
      };
    },
  ],
];

describe.each(implementations)("the %s stores", (_name, open) => {
  let harness: Harness;
  let s: Stores;
  beforeAll(async () => {
    harness = await open();
    s = harness.stores;
  });
  afterAll(() => harness?.close());

  let channels = 0;
  const declare = (title: string, extra: { private?: boolean; severity?: Incident["severity"] } = {}) =>
    s.incidents.createIncident(
      {
        title,
        channelId: `C${++channels}`,
        channelName: `inc-${channels}`,
        severity: extra.severity ?? "sev2",
        declaredBy: "UALICE",
        declaredAt: T0,
        private: extra.private,
      },
      [
        {
          sourceKey: "declared",
          kind: "declared",
          occurredAt: T0,
          authorId: "UALICE",
          data: { field: "status", from: null, to: "investigating", title, severity: extra.severity ?? "sev2" },
        },
      ],
    );

  describe("incidents", () => {
    it("are numbered in order, found by channel and number, and listed open or resolved", async () => {
      const a = await declare("First");
      const b = await declare("Second", { private: true });
      expect(b.number).toBe(a.number + 1);
      expect(a).toMatchObject({
        status: "investigating",
        severity: "sev2",
        roles: { commander: "UALICE" },
        private: false,
        announcement: null,
        publicTitle: null,
      });
      expect((await s.incidents.findIncidentByChannel(b.channelId))?.id).toBe(b.id);
      expect((await s.incidents.findIncidentByNumber(a.number))?.id).toBe(a.id);
      expect(await s.incidents.findIncidentByChannel("CNONE")).toBeNull();
      await s.incidents.changeIncident(a.id, { status: "resolved", resolvedAt: at(5) });
      const open = (await s.incidents.listIncidents({ open: true })).map((i) => i.id);
      const resolved = (await s.incidents.listIncidents({ open: false })).map((i) => i.id);
      expect(open).toContain(b.id);
      expect(open).not.toContain(a.id);
      expect(resolved).toContain(a.id);
      const all = await s.incidents.listIncidents();
      expect(all.map((i) => i.number)).toEqual([...all.map((i) => i.number)].sort((x, y) => x - y));
      // A private incident's channel name is never given out.
      expect(await s.incidents.channelNames([a.channelId, b.channelId, "CNONE"])).toEqual({ [a.channelId]: a.channelName });
    });

    it("refuse a second incident in the same channel", async () => {
      const a = await declare("Taken");
      await expect(
        s.incidents.createIncident(
          { title: "Again", channelId: a.channelId, channelName: "x", severity: "sev3", declaredBy: "UBOB", declaredAt: T0 },
          [],
        ),
      ).rejects.toThrow();
    });

    it("change only what a patch sets, and write its entry once however often it is sent", async () => {
      const a = await declare("Patched");
      const entry: NewTypedEntry = {
        sourceKey: "command:T1",
        kind: "status",
        occurredAt: at(1),
        authorId: "UBOB",
        data: { field: "status", from: "investigating", to: "identified" },
      };
      const changed = await s.incidents.changeIncident(a.id, { status: "identified", summary: undefined }, entry);
      await s.incidents.changeIncident(a.id, { status: "identified" }, entry);
      expect(changed).toMatchObject({ status: "identified", title: "Patched", summary: null });
      expect((await s.incidents.changeIncident(a.id, { summary: "Gone" })).summary).toBe("Gone");
      expect((await s.incidents.changeIncident(a.id, { summary: null })).summary).toBeNull();
      const entries = await s.incidents.listEntries(a.id);
      expect(entries.filter((e) => e.kind === "status")).toHaveLength(1);
    });

    it("assign roles, replacing the holder, with the entry", async () => {
      const a = await declare("Roles");
      const entry = (key: string): NewTypedEntry => ({
        sourceKey: key,
        kind: "role",
        occurredAt: at(1),
        authorId: "UALICE",
        data: { field: "tech_lead", from: null, to: "UBOB" },
      });
      await s.incidents.assignRole(a.id, "tech_lead", "UBOB", "UALICE", entry("command:R1"));
      const after = await s.incidents.assignRole(a.id, "tech_lead", "UCAROL", "UALICE", entry("command:R2"));
      expect(after.roles).toEqual({ commander: "UALICE", tech_lead: "UCAROL" });
      expect((await s.incidents.listEntries(a.id)).filter((e) => e.kind === "role")).toHaveLength(2);
    });

    it("give copies: changing what a read returned changes nothing stored", async () => {
      const a = await declare("Copied");
      a.roles.commander = "UMALLORY";
      a.title = "Changed";
      expect(await s.incidents.getIncident(a.id)).toMatchObject({ title: "Copied", roles: { commander: "UALICE" } });
    });

    it("keep one announcement: replaced only if it is the one expected", async () => {
      const a = await declare("Announced");
      expect(await s.incidents.setAnnouncement(a.id, { channelId: "CINC", ts: "1.1" }, null)).toBe(true);
      expect(await s.incidents.setAnnouncement(a.id, { channelId: "CINC", ts: "2.2" }, null)).toBe(false);
      expect(await s.incidents.setAnnouncement(a.id, { channelId: "CINC", ts: "3.3" }, "1.1")).toBe(true);
      expect((await s.incidents.getIncident(a.id)).announcement).toEqual({ channelId: "CINC", ts: "3.3" });
    });
  });

  describe("the timeline", () => {
    it("records a redelivered message or entry once", async () => {
      const a = await declare("Redelivered");
      expect(await s.incidents.recordMessage(a.id, message(tsAt(1), "hello"))).toBe(true);
      expect(await s.incidents.recordMessage(a.id, message(tsAt(1), "hello again"))).toBe(false);
      // Delivered together, as the batcher sees a burst: still once.
      const both = await Promise.all([
        s.incidents.recordMessage(a.id, message(tsAt(2), "x")),
        s.incidents.recordMessage(a.id, message(tsAt(2), "x")),
      ]);
      expect(both.sort()).toEqual([false, true]);
      await s.incidents.addEntry(a.id, log("command:L1", "note", 3));
      await s.incidents.addEntry(a.id, log("command:L1", "note, replayed", 3));
      const entries = await s.incidents.listEntries(a.id);
      expect(entries.filter((e) => e.kind === "message").map((e) => e.text)).toEqual(["hello", "x"]);
      expect(entries.filter((e) => e.kind === "log").map((e) => e.text)).toEqual(["note"]);
    });

    it("lists entries by when they happened, then by ts, then in the order they arrived", async () => {
      const a = await declare("Ordered");
      await s.incidents.recordMessage(a.id, message(tsAt(10, 2), "third"));
      await s.incidents.addEntry(a.id, log("command:late", "a log backdated before everything", -1));
      await s.incidents.recordMessage(a.id, message(tsAt(10, 1), "second"));
      await s.incidents.recordMessage(a.id, message(tsAt(5), "first"));
      await s.incidents.addEntry(a.id, log("command:same-1", "same moment, first in", 20));
      await s.incidents.addEntry(a.id, log("command:same-2", "same moment, second in", 20));
      const texts = (await s.incidents.listEntries(a.id)).filter((e) => e.text).map((e) => e.text);
      expect(texts).toEqual([
        "a log backdated before everything",
        "first",
        "second",
        "third",
        "same moment, first in",
        "same moment, second in",
      ]);
      expect(await s.incidents.captureCursor(a.id)).toEqual({ latestTs: tsAt(10, 2), threadParents: [] });
    });

    it("keeps the newest edit, whatever order edits arrive in, with the replaced texts as revisions", async () => {
      const a = await declare("Edited");
      const ts = tsAt(1);
      await s.incidents.recordMessage(a.id, message(ts, "v1"));
      await s.incidents.recordEdit(a.id, { ...message(ts, "v3"), editedTs: tsAt(3) }, "v2");
      await s.incidents.recordEdit(a.id, { ...message(ts, "v2"), editedTs: tsAt(2) }, "v1");
      await s.incidents.recordEdit(a.id, { ...message(ts, "v2"), editedTs: tsAt(2) }, "v1"); // redelivered
      const [entry] = (await s.incidents.listEntries(a.id)).filter((e) => e.kind === "message");
      expect(entry).toMatchObject({ text: "v3", editedAt: at(3) });
      expect(entry!.revisions).toEqual([
        { text: "v1", replacedAt: at(2) },
        { text: "v2", replacedAt: at(3) },
      ]);
      // An edit of a message never seen creates it.
      await s.incidents.recordEdit(a.id, { ...message(tsAt(4), "late"), editedTs: tsAt(5) }, null);
      expect((await s.incidents.listEntries(a.id)).find((e) => e.ts === tsAt(4))).toMatchObject({ text: "late", revisions: [] });
    });

    it("marks deletions once, keeping the text, and records a message deleted before it was seen", async () => {
      const a = await declare("Deleted");
      await s.incidents.recordMessage(a.id, message(tsAt(1), "oops"));
      await s.incidents.recordDeletion(a.id, tsAt(1), at(2), null);
      await s.incidents.recordDeletion(a.id, tsAt(1), at(3), null);
      await s.incidents.recordDeletion(a.id, tsAt(4), at(5), message(tsAt(4), "never seen"));
      const entries = (await s.incidents.listEntries(a.id)).filter((e) => e.kind === "message");
      expect(entries.map((e) => [e.text, e.deleted])).toEqual([
        ["oops", true],
        ["never seen", true],
      ]);
    });

    it("highlights while anyone pins, and excludes while anyone objects", async () => {
      const a = await declare("Pinned");
      const ts = tsAt(1);
      await s.incidents.recordMessage(a.id, message(ts, "key"));
      const shown = async () => (await s.incidents.listEntries(a.id)).find((e) => e.ts === ts)!;
      await s.incidents.setPin(a.id, ts, "UBOB", true);
      await s.incidents.setPin(a.id, ts, "UBOB", true);
      await s.incidents.setPin(a.id, ts, "UCAROL", true);
      await s.incidents.setPin(a.id, ts, "UBOB", false);
      expect((await shown()).highlight).toBe(true);
      await s.incidents.setPin(a.id, ts, "UCAROL", false);
      expect((await shown()).highlight).toBe(false);
      await s.incidents.setSlackPin(a.id, ts, true);
      expect((await shown()).highlight).toBe(true);
      await s.incidents.setSlackPin(a.id, ts, false);
      await s.incidents.highlightMessage(a.id, ts);
      expect((await shown()).highlight).toBe(true);
      await Promise.all([s.incidents.setExcluded(a.id, ts, "UBOB", true), s.incidents.setExcluded(a.id, ts, "UCAROL", true)]);
      await s.incidents.setExcluded(a.id, ts, "UBOB", false);
      expect((await shown()).excluded).toBe(true);
      await s.incidents.setExcluded(a.id, ts, "UCAROL", false);
      expect((await shown()).excluded).toBe(false);
      // Reactions on a message never stored change nothing, and do not fail.
      await s.incidents.setPin(a.id, tsAt(9), "UBOB", true);
      expect((await s.incidents.listEntries(a.id)).some((e) => e.ts === tsAt(9))).toBe(false);
    });

    it("knows the thread parents replies were seen under", async () => {
      const a = await declare("Threads");
      await s.incidents.recordMessage(a.id, message(tsAt(1), "parent"));
      await s.incidents.recordMessage(a.id, message(tsAt(2), "reply", { threadTs: tsAt(1) }));
      await s.incidents.recordMessage(a.id, message(tsAt(3), "reply 2", { threadTs: tsAt(1) }));
      expect(await s.incidents.captureCursor(a.id)).toEqual({ latestTs: tsAt(3), threadParents: [tsAt(1)] });
    });
  });

  describe("action items", () => {
    const item = (key: string, extra: Partial<Parameters<Stores["actionItems"]["addActionItem"]>[1]> = {}) => ({
      sourceKey: key,
      text: `Item ${key}`,
      ownerId: null,
      dueDate: null,
      createdBy: "UALICE",
      createdAt: T0,
      ...extra,
    });

    it("are numbered per incident, once per source key", async () => {
      const a = await declare("Items");
      const b = await declare("Other items");
      const first = await s.actionItems.addActionItem(a.id, item("k1"));
      expect(await s.actionItems.addActionItem(a.id, item("k1", { text: "replayed" }))).toEqual(first);
      const second = await s.actionItems.addActionItem(a.id, item("k2", { dueDate: new Date("2026-03-09T00:00:00.000Z") }));
      const other = await s.actionItems.addActionItem(b.id, item("k1"));
      expect([first.number, second.number, other.number]).toEqual([1, 2, 1]);
      expect(second).toMatchObject({ status: "open", issueUrl: null, dueDate: new Date("2026-03-09T00:00:00.000Z") });
      expect((await s.actionItems.listActionItems(a.id)).map((i) => i.text)).toEqual(["Item k1", "Item k2"]);
      expect((await s.actionItems.getActionItem(first.id))?.incident.id).toBe(a.id);
    });

    it("are done at the time given, and open again without a done time", async () => {
      const a = await declare("Done");
      const it1 = await s.actionItems.addActionItem(a.id, item("d1"));
      expect(await s.actionItems.setActionItem(it1.id, { status: "done" }, at(7))).toMatchObject({ status: "done", doneAt: at(7) });
      expect(await s.actionItems.setActionItem(it1.id, { ownerId: "UBOB" }, at(8))).toMatchObject({
        status: "done",
        doneAt: at(7),
        ownerId: "UBOB",
      });
      expect(await s.actionItems.setActionItem(it1.id, { status: "open" }, at(9))).toMatchObject({ status: "open", doneAt: null });
    });

    it("are leased for their issue by one worker at a time, and not while backing off", async () => {
      const a = await declare("Leased");
      const it1 = await s.actionItems.addActionItem(a.id, item("l1"));
      const lease = { now: at(0), until: at(1), ignoreBackoff: false };
      const claims = await Promise.all([
        s.actionItems.claimActionItemForIssue(it1.id, lease),
        s.actionItems.claimActionItemForIssue(it1.id, lease),
      ]);
      expect(claims.filter(Boolean)).toEqual([{ attempts: 1 }]);
      // The lease runs out: another worker takes it.
      expect(await s.actionItems.claimActionItemForIssue(it1.id, { now: at(2), until: at(3), ignoreBackoff: false })).toEqual({
        attempts: 2,
      });
      await s.actionItems.failActionItemIssue(it1.id, "x".repeat(600), at(10));
      expect((await s.actionItems.getActionItem(it1.id))?.item.lastError).toHaveLength(500);
      expect(await s.actionItems.claimActionItemForIssue(it1.id, { now: at(4), until: at(5), ignoreBackoff: false })).toBeNull();
      expect(await s.actionItems.listActionItemsNeedingIssues(at(4))).toEqual([]);
      expect(await s.actionItems.claimActionItemForIssue(it1.id, { now: at(4), until: at(5), ignoreBackoff: true })).toEqual({
        attempts: 3,
      });
      await s.actionItems.completeActionItemIssue(it1.id, { number: 7, url: "https://github.com/Acme/Ops/issues/7" });
      expect(await s.actionItems.claimActionItemForIssue(it1.id, { now: at(20), until: at(21), ignoreBackoff: true })).toBeNull();
      expect((await s.actionItems.findActionItemByIssue("acme/ops", 7))?.item.id).toBe(it1.id);
      expect(await s.actionItems.findActionItemByIssue("acme/other", 7)).toBeNull();
    });

    it("wait for their issue only once their incident is resolved, public and private apart", async () => {
      const pub = await declare("Public waits");
      const priv = await declare("Private waits", { private: true });
      const p1 = await s.actionItems.addActionItem(pub.id, item("w1"));
      const p2 = await s.actionItems.addActionItem(priv.id, item("w2"));
      const waiting = async (which?: { public: boolean; private: boolean }) =>
        (await s.actionItems.listActionItemsNeedingIssues(at(1), which)).map((f) => f.item.id).filter((id) => id === p1.id || id === p2.id);
      expect(await waiting()).toEqual([]);
      await s.incidents.changeIncident(pub.id, { status: "resolved", resolvedAt: at(1) });
      await s.incidents.changeIncident(priv.id, { status: "resolved", resolvedAt: at(1) });
      expect((await waiting()).sort()).toEqual([p1.id, p2.id].sort());
      expect(await waiting({ public: true, private: false })).toEqual([p1.id]);
      expect(await waiting({ public: false, private: true })).toEqual([p2.id]);
    });

    it("apply an issue's observations only when newer, with the change's entry", async () => {
      const a = await declare("Observed");
      const it1 = await s.actionItems.addActionItem(a.id, item("o1"));
      await s.actionItems.completeActionItemIssue(it1.id, { number: 8, url: "https://github.com/acme/ops/issues/8" });
      const describe = (): NewTypedEntry => ({
        sourceKey: "issue:8:closed",
        kind: "action",
        occurredAt: at(5),
        authorId: null,
        data: { field: "action_item_status", from: "open", to: "done", issue: 8, number: it1.number, text: it1.text },
      });
      const closed = await s.actionItems.observeIssue(it1.id, { state: "closed", observedAt: at(5), closedAt: at(4) }, describe);
      expect(closed?.after).toMatchObject({ status: "done", doneAt: at(4), issueState: "closed" });
      expect(closed?.before).toMatchObject({ status: "open" });
      // The same webhook again, or an older one: nothing.
      expect(await s.actionItems.observeIssue(it1.id, { state: "closed", observedAt: at(5) }, describe)).toBeNull();
      expect(await s.actionItems.observeIssue(it1.id, { state: "open", observedAt: at(3) })).toBeNull();
      expect((await s.incidents.listEntries(a.id)).filter((e) => e.kind === "action")).toHaveLength(1);
      const reopened = await s.actionItems.observeIssue(it1.id, { state: "open", observedAt: at(6) });
      expect(reopened?.after).toMatchObject({ status: "open", doneAt: null });
      // A dropped item stays dropped whatever its issue does.
      await s.actionItems.setActionItem(it1.id, { status: "dropped" }, at(7));
      expect((await s.actionItems.observeIssue(it1.id, { state: "closed", observedAt: at(8) }))?.after.status).toBe("dropped");
    });

    it("are claimed for an issue check by one reader, never-checked first, and a claimed read applies only to its claim", async () => {
      const a = await declare("Checked");
      const items: ActionItem[] = [];
      for (const key of ["c1", "c2", "c3"]) {
        const added = await s.actionItems.addActionItem(a.id, item(key));
        await s.actionItems.completeActionItemIssue(added.id, {
          number: 100 + items.length,
          url: `https://github.com/acme/ops/issues/${100 + items.length}`,
        });
        items.push(added);
      }
      await s.actionItems.observeIssue(items[0]!.id, { state: "open", observedAt: at(-30), etag: "E0" });
      const mine = (claimed: { item: { id: string } }[]) => claimed.map((c) => c.item.id).filter((id) => items.some((i) => i.id === id));
      const first = await s.actionItems.claimIssueChecks(at(0), at(-10), 1000);
      expect(mine(first).sort()).toEqual(items.map((i) => i.id).sort());
      expect(first.find((c) => c.item.id === items[0]!.id)?.etag).toBe("E0");
      expect(mine(await s.actionItems.claimIssueChecks(at(0), at(-10), 1000))).toEqual([]);
      // A read claimed before another claim took the item is stale.
      expect(await s.actionItems.observeIssue(items[1]!.id, { state: "closed", observedAt: at(1), claimedAt: at(-99) })).toBeNull();
      expect((await s.actionItems.observeIssue(items[1]!.id, { state: "closed", observedAt: at(1), claimedAt: at(0) }))?.after.status).toBe(
        "done",
      );
    });

    it("are listed as follow-ups by owner and due date, private incidents' only for those listed", async () => {
      const pub = await declare("Follow-ups");
      const priv = await declare("Private follow-ups", { private: true });
      const owner = `UOWNER${channels}`;
      const due = new Date("2026-03-05T00:00:00.000Z");
      const i1 = await s.actionItems.addActionItem(pub.id, item("f1", { ownerId: owner, dueDate: due, createdAt: at(1) }));
      const i2 = await s.actionItems.addActionItem(priv.id, item("f2", { ownerId: owner, createdAt: at(2) }));
      const i3 = await s.actionItems.addActionItem(pub.id, item("f3", { ownerId: owner, createdAt: at(0) }));
      await s.actionItems.addActionItem(pub.id, item("f4", { ownerId: "USOMEONE", createdAt: at(0) }));
      const ids = async (query: Parameters<Stores["actionItems"]["listFollowUps"]>[0]) => {
        const { items, total } = await s.actionItems.listFollowUps(query);
        return { ids: items.map((f) => f.item.id), total };
      };
      expect(await ids({ ownerId: owner, limit: 10 })).toEqual({ ids: [i3.id, i1.id, i2.id], total: 3 });
      expect(await ids({ ownerId: owner, limit: 2 })).toEqual({ ids: [i3.id, i1.id], total: 3 });
      expect(await ids({ ownerId: owner, limit: 10, privateIncidentIds: [] })).toEqual({ ids: [i3.id, i1.id], total: 2 });
      expect(await ids({ ownerId: owner, limit: 10, privateIncidentIds: [priv.id] })).toEqual({ ids: [i3.id, i1.id, i2.id], total: 3 });
      expect(await ids({ ownerId: owner, limit: 10, dueBefore: new Date("2026-03-06T00:00:00.000Z") })).toEqual({ ids: [i1.id], total: 1 });
      expect((await s.actionItems.privateIncidentsWithFollowUps({ ownerId: owner })).map((i) => i.id)).toEqual([priv.id]);
      await s.actionItems.setActionItem(i2.id, { status: "done" }, at(3));
      expect(await s.actionItems.privateIncidentsWithFollowUps({ ownerId: owner })).toEqual([]);
    });

    it("remind once a day of overdue items, and once of incomplete ones", async () => {
      const a = await declare("Reminded");
      const owner = `UREMIND${channels}`;
      const overdue = await s.actionItems.addActionItem(
        a.id,
        item("r1", { ownerId: owner, dueDate: new Date("2026-03-01T00:00:00.000Z") }),
      );
      const incomplete = await s.actionItems.addActionItem(a.id, item("r2", { ownerId: owner }));
      const mine = (claimed: { item: { id: string } }[]) =>
        claimed.map((c) => c.item.id).filter((id) => id === overdue.id || id === incomplete.id);
      const today = new Date("2026-03-03T00:00:00.000Z");
      expect(mine(await s.actionItems.claimOverdueReminders(today))).toEqual([overdue.id]);
      expect(mine(await s.actionItems.claimOverdueReminders(today))).toEqual([]);
      expect(mine(await s.actionItems.claimOverdueReminders(new Date("2026-03-04T00:00:00.000Z")))).toEqual([overdue.id]);
      const window = { after: at(-60), before: at(60) };
      expect(mine(await s.actionItems.claimIncompleteReminders(at(1), window))).toEqual([]); // not resolved yet
      await s.incidents.changeIncident(a.id, { status: "resolved", resolvedAt: at(0) });
      expect(mine(await s.actionItems.claimIncompleteReminders(at(1), window))).toEqual([incomplete.id]);
      expect(mine(await s.actionItems.claimIncompleteReminders(at(2), window))).toEqual([]);
    });
  });

  describe("reports", () => {
    it("change only at the version read, merging sections; a lost race writes no entry", async () => {
      const a = await declare("Report");
      const report = await s.reports.getReport(a.id);
      expect(report).toMatchObject({ status: "draft", sections: {}, version: 1, approvedBy: null, publishedUrl: null });
      const entry = (key: string): NewTypedEntry => ({
        sourceKey: key,
        kind: "report",
        occurredAt: at(1),
        authorId: "UALICE",
        data: { field: "report", step: "review_requested", from: "draft", to: "in_review" },
      });
      const edited = await s.reports.updateReport(a.id, 1, { section: { key: "summary", markdown: "S" } });
      const again = await s.reports.updateReport(a.id, 2, { section: { key: "impact", markdown: "I" } });
      expect(edited?.version).toBe(2);
      expect(again).toMatchObject({ version: 3, sections: { summary: "S", impact: "I" } });
      expect(await s.reports.updateReport(a.id, 2, { status: "in_review" }, entry("command:stale"))).toBeNull();
      expect((await s.incidents.listEntries(a.id)).some((e) => e.kind === "report")).toBe(false);
      const reviewed = await s.reports.updateReport(a.id, 3, { status: "in_review" }, entry("command:fresh"));
      expect(reviewed).toMatchObject({ status: "in_review", version: 3 });
      expect(
        await s.reports.updateReport(a.id, 3, { status: "approved", approvedBy: "UBOB", approvedVersion: 3, bumpVersion: true }),
      ).toMatchObject({
        status: "approved",
        approvedBy: "UBOB",
        approvedVersion: 3,
        version: 4,
      });
      expect((await s.incidents.loadRecord(a.id)).report?.version).toBe(4);
    });

    it("remind of a late report once per period", async () => {
      const a = await declare("Late report");
      await s.incidents.changeIncident(a.id, { status: "resolved", resolvedAt: at(0) });
      const mine = (claimed: Incident[]) => claimed.filter((i) => i.id === a.id).length;
      expect(mine(await s.reports.claimReportReminders(at(30), 60 * 60_000, 24 * 60 * 60_000))).toBe(0);
      expect(mine(await s.reports.claimReportReminders(at(61), 60 * 60_000, 24 * 60 * 60_000))).toBe(1);
      expect(mine(await s.reports.claimReportReminders(at(62), 60 * 60_000, 24 * 60 * 60_000))).toBe(0);
      expect(mine(await s.reports.claimReportReminders(at(62 + 24 * 60), 60 * 60_000, 24 * 60 * 60_000))).toBe(1);
    });
  });

  describe("updates", () => {
    const update = (key: string, extra: Partial<Parameters<Stores["updates"]["addUpdate"]>[1]> = {}) => ({
      sourceKey: key,
      public: true,
      text: `Update ${key}`,
      status: "investigating" as const,
      postedBy: "UCAROL",
      createdAt: at(1),
      publishedAt: null,
      ...extra,
    });

    it("are stored once per request, listed in the order written", async () => {
      const a = await declare("Updates");
      const first = await s.updates.addUpdate(a.id, update("u1"));
      expect(first.created).toBe(true);
      expect(await s.updates.addUpdate(a.id, update("u1", { text: "replayed" }))).toEqual({ update: first.update, created: false });
      await s.updates.addUpdate(a.id, update("u2", { public: false, publishedAt: at(2), createdAt: at(2) }));
      expect((await s.updates.listUpdates(a.id)).map((u) => u.text)).toEqual(["Update u1", "Update u2"]);
      expect((await s.updates.listUpdates(a.id, { publishedOnly: true })).map((u) => u.text)).toEqual(["Update u2"]);
      expect(await s.updates.getUpdate("not-a-uuid")).toBeNull();
      expect((await s.updates.getUpdate(first.update.id))?.incident.id).toBe(a.id);
    });

    it("publish a draft once, whoever presses, and discard only an unpublished draft", async () => {
      const a = await declare("Publish once");
      const { update: draft } = await s.updates.addUpdate(a.id, update("p1"));
      const entry: NewTypedEntry = {
        sourceKey: "command:P",
        kind: "update",
        occurredAt: at(3),
        authorId: "UCAROL",
        data: { field: "update", from: null, to: "public", text: draft.text },
      };
      const presses = await Promise.all([s.updates.publishUpdate(draft.id, at(3), entry), s.updates.publishUpdate(draft.id, at(3), entry)]);
      expect(presses.filter(Boolean)).toHaveLength(1);
      expect(presses.find(Boolean)?.publishedAt).toEqual(at(3));
      expect((await s.incidents.listEntries(a.id)).filter((e) => e.kind === "update")).toHaveLength(1);
      expect(await s.updates.discardUnpublished(draft.id)).toBe(false);
      const { update: other } = await s.updates.addUpdate(a.id, update("p2"));
      expect(await s.updates.discardUnpublished(other.id)).toBe(true);
      expect(await s.updates.discardUnpublished(other.id)).toBe(false);
      expect(await s.updates.publishUpdate(other.id, at(4), { ...entry, sourceKey: "command:P2" })).toBeNull();
      expect(await s.updates.publishUpdate("not-a-uuid", at(4), entry)).toBeNull();
    });

    it("remind a quiet SEV1/SEV2 incident once per lapse", async () => {
      const a = await declare("Quiet", { severity: "sev1" });
      const quiet = 30 * 60_000;
      const mine = (claimed: Incident[]) => claimed.filter((i) => i.id === a.id).length;
      expect(mine(await s.updates.claimUpdateReminders(at(20), quiet))).toBe(0);
      expect(mine(await s.updates.claimUpdateReminders(at(31), quiet))).toBe(1);
      expect(mine(await s.updates.claimUpdateReminders(at(32), quiet))).toBe(0);
      // A published update restarts the clock.
      await s.updates.addUpdate(a.id, update("q1", { public: false, publishedAt: at(50), createdAt: at(50) }));
      expect(mine(await s.updates.claimUpdateReminders(at(70), quiet))).toBe(0);
      expect(mine(await s.updates.claimUpdateReminders(at(81), quiet))).toBe(1);
      // Resolved incidents are never reminded.
      await s.incidents.changeIncident(a.id, { status: "resolved", resolvedAt: at(90) });
      expect(mine(await s.updates.claimUpdateReminders(at(200), quiet))).toBe(0);
    });
  });

  describe("people, requests and picked messages", () => {
    it("keep the newest names read, and GitHub logins", async () => {
      await s.people.saveNames([{ userId: "UNAMES", displayName: "new", realName: "New" }], at(5));
      await s.people.saveNames([{ userId: "UNAMES", displayName: "old", realName: "Old" }], at(1));
      await s.people.saveNames([{ userId: "UNEVER", displayName: "x", realName: null }], at(1), { onlyKnown: true });
      expect(await s.people.knownNames(["UNAMES", "UNEVER"])).toEqual({
        UNAMES: { userId: "UNAMES", displayName: "new", realName: "New", updatedAt: at(5) },
      });
      await s.people.setGithubLogin("ULOGIN", "octo");
      expect(await s.people.githubLogins(["ULOGIN", "UNAMES"])).toEqual({ ULOGIN: "octo" });
      expect(await s.people.knownNames(["ULOGIN"])).toEqual({});
      await s.people.setGithubLogin("ULOGIN", null);
      expect(await s.people.githubLogins(["ULOGIN"])).toEqual({});
    });

    it("handle a request once", async () => {
      const key = `trigger-${channels}-${Date.now()}`;
      const claims = await Promise.all([s.requests.claimRequest(key), s.requests.claimRequest(key)]);
      expect(claims.sort()).toEqual([false, true]);
      expect(await s.requests.claimRequest(key)).toBe(false);
      expect(await s.requests.forgetHandledRequests(new Date(Date.now() - 60_000))).toBe(0);
    });

    it("hold a picked message until forgotten", async () => {
      const source = {
        channelId: "CELSE",
        channelName: "general",
        ts: "5.5",
        permalink: "https://acme.slack.com/x",
        authorId: "UBOB",
        authorName: null,
      };
      const picked = await s.picked.pickMessage({ source, threadTs: null, text: "look", files: [], pickedBy: "UALICE", pickedAt: at(0) });
      expect(await s.picked.findPickedMessage(picked.id)).toEqual(picked);
      expect(await s.picked.findPickedMessage("nope")).toBeNull();
      expect(await s.picked.forgetPickedMessages(at(0))).toBe(0);
      expect(await s.picked.forgetPickedMessages(at(1))).toBe(1);
      expect(await s.picked.findPickedMessage(picked.id)).toBeNull();
    });
  });
});
