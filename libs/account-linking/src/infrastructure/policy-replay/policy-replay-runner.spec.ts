import type { EventStore } from '@lib/event-store/event-store.port';
import { type IsolatedSqlClient, SQL_BACKENDS } from '@lib/platform/sql/testing/sql-backends';
import { PolicyReplayRunner } from '../../application/policy-replay/policy-replay-runner';
import type { LinkReadModel, LinkSelection, PageRequest } from '../../application/ports/link-read-model.port';
import type { ExistingLinkState } from '../../domain/link/link-state';
import { TestClock } from '../testing/process-harness';
import { SqlPolicyReplays } from './sql-policy-replays';

const LEASE_MS = 60_000;
const linkIds = ['lnk_1', 'lnk_2', 'lnk_3', 'lnk_4', 'lnk_5'];
/** lnk_2 and lnk_4 rest on photo-ID eKYC; the others on JPKI. */
const methodOf = (linkId: string) => (linkId === 'lnk_2' || linkId === 'lnk_4' ? 'photo_id_and_selfie' : 'jpki');

/** The links read model, two links a page; `failOnPage` makes that page read throw (a worker that dies). */
class TwoAPage implements LinkReadModel {
  pagesRead = 0;
  failOnPage: number | undefined;
  settle = async () => undefined;
  find = async () => undefined;
  countsByStatus = async () => ({});
  count = async (selection: LinkSelection) => (selection.status === 'active' ? linkIds.length : 0);
  async select(selection: LinkSelection, page: PageRequest) {
    this.pagesRead += 1;
    if (this.failOnPage === this.pagesRead) throw new Error('the read model went away');
    if (selection.status !== 'active') return { items: [], nextCursor: null };
    const from = page.cursor === undefined ? 0 : Number(page.cursor);
    const items = linkIds
      .slice(from, from + 2)
      .map((linkId) => ({ status: 'active', link: { linkId } }) as unknown as ExistingLinkState);
    return { items, nextCursor: from + 2 < linkIds.length ? String(from + 2) : null };
  }
}

describe.each(SQL_BACKENDS)('policy replays on $name', (backend) => {
  let db: IsolatedSqlClient;
  let replays: SqlPolicyReplays;
  let links: TwoAPage;
  let streamsRead: string[];
  const clock = new TestClock(new Date('2026-11-21T10:00:00.000Z'));

  const store = {
    readStream: async (stream: string) => {
      streamsRead.push(stream);
      const linkId = stream.replace(/^link-/, '');
      return [
        {
          type: 'LinkRequested',
          data: { linkId, at: '2026-05-01T00:00:00.000Z', ekyc: { method: methodOf(linkId) } },
        },
        { type: 'BankAuthenticationSucceeded', data: { linkId, methods: ['password', 'otp_app'] } },
      ];
    },
  } as unknown as EventStore;
  const runner = () =>
    new PolicyReplayRunner(replays, links, store, clock, { claimTtlMs: LEASE_MS, batchSize: 50, dormancyDays: 395 });
  const aReplay = async (id: string) =>
    replays.create({ id, policy: { allowedEkycMethods: ['jpki'] }, statuses: ['active'], createdAt: clock.now() });

  beforeAll(async () => {
    db = await backend.open();
    replays = new SqlPolicyReplays(db.sql);
    await replays.ensureSchema();
    await replays.ensureSchema(); // a second start finds the table there
  });
  afterAll(() => db.dispose());
  beforeEach(async () => {
    await db.sql.query('DELETE FROM policy_replays');
    links = new TwoAPage();
    streamsRead = [];
  });

  it('pages through the links, lists those that would fail, and reports its progress', async () => {
    await aReplay('prp_a');
    expect(await replays.find('prp_a')).toMatchObject({ status: 'queued', progress: { linksChecked: 0 } });

    expect(await runner().runNext()).toBe(1);

    expect(await replays.find('prp_a')).toMatchObject({
      status: 'done',
      progress: { linksChecked: 5, linksTotal: 5 },
      items: [
        { linkId: 'lnk_2', wouldFail: ['ekyc_method_not_allowed'] },
        { linkId: 'lnk_4', wouldFail: ['ekyc_method_not_allowed'] },
      ],
      finishedAt: clock.now(),
    });
    expect(await runner().runNext()).toBe(0);
  });

  it('resumes a replay whose worker stopped, from the last page saved, once its lease lapses', async () => {
    await aReplay('prp_b');
    links.failOnPage = 2; // the first page is saved, then the worker "dies"
    expect(await runner().runNext()).toBe(1);
    expect(await replays.find('prp_b')).toMatchObject({
      status: 'running',
      progress: { linksChecked: 2, linksTotal: 5 },
      items: [{ linkId: 'lnk_2' }],
    });

    // A restart within the lease finds nothing to claim; after it, the replay goes on where it stood.
    links.failOnPage = undefined;
    expect(await runner().runNext()).toBe(0);
    clock.advanceMinutes(LEASE_MS / 60_000);
    streamsRead = [];
    expect(await runner().runNext()).toBe(1);

    expect(streamsRead).toEqual(['link-lnk_3', 'link-lnk_4', 'link-lnk_5']);
    expect(await replays.find('prp_b')).toMatchObject({
      status: 'done',
      progress: { linksChecked: 5, linksTotal: 5 },
      items: [{ linkId: 'lnk_2' }, { linkId: 'lnk_4' }],
      claims: 2,
    });
  });

  it("ignores a worker's writes once another has claimed the replay", async () => {
    await aReplay('prp_c');
    const stale = await replays.claimNext(clock.now(), new Date(clock.now().getTime() + 1));
    clock.advanceMinutes(1);
    const fresh = await replays.claimNext(clock.now(), new Date(clock.now().getTime() + LEASE_MS));
    expect([stale?.claims, fresh?.claims]).toEqual([1, 2]);
    const page = {
      position: { statusIndex: 1, cursor: null },
      progress: { linksChecked: 9, linksTotal: 9 },
      items: [],
    };
    expect(await replays.savePage({ id: 'prp_c', claims: stale?.claims ?? 0 }, page, clock.now())).toBe(false);
    expect(await replays.savePage({ id: 'prp_c', claims: fresh?.claims ?? 0 }, page, clock.now())).toBe(true);
  });

  it('marks a replay failed when it has failed on every claim', async () => {
    await aReplay('prp_d');
    links.failOnPage = 1;
    for (let claim = 1; claim <= 3; claim += 1) {
      links.pagesRead = 0;
      expect(await runner().runNext()).toBe(1);
      clock.advanceMinutes(LEASE_MS / 60_000);
    }
    expect(await replays.find('prp_d')).toMatchObject({ status: 'failed', error: 'the replay failed (Error)' });
    expect(await runner().runNext()).toBe(0);
  });
});
