/** One address (or the connected wallet's): balances, ESG score and gems from its unified
 * profile, the score's history, and its stakes, certificates, retirements, AI audits and
 * transfers from the account list routes, each paged by its keyset. */
import { lazy, Suspense, useState, type ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { isAddress } from "viem";

import { api, type Schemas } from "../api/client";
import { AddressLink } from "../components/Address";
import { Amount } from "../components/Amount";
import { FinalityBadge, ReadAtLine } from "../components/FinalityBadge";
import { Pager, useKeysetPages } from "../components/Pager";
import { RetirementsTable } from "../components/RetirementsTable";
import { Empty, QueryState } from "../components/Status";
import { chainName, useDeployment, type Deployment } from "../chain/deployment";
import { pendingCount } from "../lib/finality";
import { decimalsOf, formatBasisPoints, formatTime, shortHash } from "../lib/format";
import { useWallet } from "../wallet/WalletProvider";

const ScoreChart = lazy(() => import("../components/ScoreChart"));

type Profile = Schemas["ProfileOut"];

function Balances({ profile, dep }: { profile: Profile; dep: Deployment | undefined }) {
  if (!profile.balances.length) return <Empty>No token balances.</Empty>;
  const pending = pendingCount(profile.balances);
  return (
    <>
      {pending > 0 && (
        <p className="small warn-text" data-testid="pending-balances">
          {pending} of these balances come from blocks that are not final yet.
        </p>
      )}
      <table data-testid="balances">
        <thead>
          <tr>
            <th>Chain</th>
            <th>Token</th>
            <th>Id</th>
            <th className="num">Balance</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {profile.balances.map((b) => (
            <tr
              key={`${b.chain_id}-${b.contract}-${b.token_id}`}
              data-testid="balance"
              data-chain={b.chain_id}
              data-token={b.token ?? b.contract}
              data-contract={b.contract}
              data-token-id={b.token_id}
            >
              <td>{chainName(dep, b.chain_id)}</td>
              <td>{b.token ?? b.contract}</td>
              <td>{decimalsOf(b.token) > 0 ? "" : b.token_id}</td>
              <td className="num">
                <Amount raw={b.amount} symbol={b.token} />
              </td>
              <td>
                <FinalityBadge row={b} readAt={profile.read_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Score({ profile, address }: { profile: Profile; address: string }) {
  const history = api.useQuery("get", "/api/v1/scores/{address}/history", {
    params: { path: { address }, query: { limit: 200 } },
  });
  if (!profile.scores.length) return <Empty>Not scored yet.</Empty>;
  return (
    <>
      <div className="scores">
        {profile.scores.map((s) => (
          <div key={`${s.chain_id}`} className="score" data-testid="score">
            <div className="big">{formatBasisPoints(s.score)}</div>
            <div className="muted small">ESG score / 100 on chain {s.chain_id}</div>
            <div className="parts">
              E {formatBasisPoints(s.environmental)} · S {formatBasisPoints(s.social)} · G{" "}
              {formatBasisPoints(s.governance)}
            </div>
            <div className="small muted">
              methodology v{s.methodology_version}, updated {formatTime(s.updated_at)}{" "}
              <FinalityBadge row={s} readAt={profile.read_at} />
            </div>
          </div>
        ))}
      </div>
      <QueryState isPending={history.isPending} error={history.error} what="the score history" />
      {history.data && history.data.items.length > 0 && (
        <Suspense fallback={<p className="muted">Loading chart…</p>}>
          <ScoreChart items={history.data.items} />
        </Suspense>
      )}
    </>
  );
}

/** The query of one page of an account list (`/accounts/{address}/...`, keyset pages); the
 * profile's own sections stop at a fixed number of rows. */
function accountPage(address: string, pages: ReturnType<typeof useKeysetPages>) {
  return { params: { path: { address }, query: { limit: 20, cursor: pages.cursor } } };
}

type ListPage<T> = { items: T[]; next_cursor?: string | null };

/** A page of an account list: its loading state, the rows (``children``) and its pager. */
function PagedList<T, P extends ListPage<T>>({
  pages,
  query,
  what,
  empty,
  children,
}: {
  pages: ReturnType<typeof useKeysetPages>;
  query: { data?: P; isPending: boolean; error: unknown };
  what: string;
  empty: string;
  children: (page: P) => ReactNode;
}) {
  const page = query.data;
  return (
    <>
      <QueryState isPending={query.isPending} error={query.error} what={what} />
      {page && page.items.length === 0 && <Empty>{empty}</Empty>}
      {page && page.items.length > 0 && children(page)}
      {page && (pages.page > 1 || page.next_cursor) && (
        <Pager
          page={pages.page}
          nextCursor={page.next_cursor}
          onOlder={pages.older}
          onNewer={pages.newer}
        />
      )}
    </>
  );
}

function Stakes({ address }: { address: string }) {
  const pages = useKeysetPages(`stakes:${address}`);
  const query = api.useQuery(
    "get",
    "/api/v1/accounts/{address}/stakes",
    accountPage(address, pages),
  );
  return (
    <PagedList pages={pages} query={query} what="the stakes" empty="No stakes.">
      {(page) => (
        <table data-testid="stakes">
          <thead>
            <tr>
              <th>Position</th>
              <th className="num">GST</th>
              <th className="num">Lock</th>
              <th className="num">APR</th>
              <th>Unlocks</th>
              <th>Status</th>
              <th className="num">Rewards claimed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((s) => (
              <tr key={`${s.chain_id}-${s.position_id}`}>
                <td>
                  #{s.position_id} <span className="muted small">chain {s.chain_id}</span>
                </td>
                <td className="num">{s.amount ? <Amount raw={s.amount} symbol="GST" /> : "—"}</td>
                <td className="num">{s.lock_days ?? "—"} d</td>
                <td className="num">
                  {s.apr_bp ? `${formatBasisPoints(Number(s.apr_bp))} %` : "—"}
                </td>
                <td>{formatTime(s.unlock_time)}</td>
                <td>{s.status ?? "—"}</td>
                <td className="num">
                  <Amount raw={s.rewards_claimed} symbol="GST" maxFraction={4} />
                </td>
                <td>
                  <FinalityBadge row={s} readAt={page.read_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PagedList>
  );
}

function Gems({ profile }: { profile: Profile }) {
  return profile.gems.length ? (
    <ul>
      {profile.gems.map((g) => (
        <li key={`${g.chain_id}-${g.gem_id}`}>
          Gem {g.gem_id} × {g.amount}{" "}
          {g.claimed && <span className="muted">(claimed by score)</span>}{" "}
          <FinalityBadge row={g} readAt={profile.read_at} />
        </li>
      ))}
    </ul>
  ) : (
    <Empty>No gems.</Empty>
  );
}

function Certificates({ address }: { address: string }) {
  const pages = useKeysetPages(`certificates:${address}`);
  const query = api.useQuery(
    "get",
    "/api/v1/accounts/{address}/certificates",
    accountPage(address, pages),
  );
  return (
    <PagedList pages={pages} query={query} what="the certificates" empty="No certificates.">
      {(page) => (
        <ul data-testid="certificates">
          {page.items.map((c) => (
            <li key={`${c.chain_id}-${c.token_id}`}>
              <Link to={`/certificates/${c.chain_id}/${c.token_id}`}>
                Certificate #{c.token_id}
              </Link>
              : {c.tonnes} t of batch {c.batch_id} <FinalityBadge row={c} readAt={page.read_at} />
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}

function Holdings({ profile, address }: { profile: Profile; address: string }) {
  return (
    <div className="grid2">
      <div>
        <h3>Gems</h3>
        <Gems profile={profile} />
      </div>
      <div>
        <h3>Certificates</h3>
        <Certificates address={address} />
      </div>
    </div>
  );
}

function Retirements({ address }: { address: string }) {
  const pages = useKeysetPages(`retirements:${address}`);
  const query = api.useQuery(
    "get",
    "/api/v1/accounts/{address}/retirements",
    accountPage(address, pages),
  );
  return (
    <PagedList pages={pages} query={query} what="the retirements" empty="No retirements.">
      {(page) => (
        <RetirementsTable
          items={page.items}
          readAt={page.read_at}
          feed={false}
          testId="account-retirements"
        />
      )}
    </PagedList>
  );
}

function Audits({ address }: { address: string }) {
  const pages = useKeysetPages(`ai-audits:${address}`);
  const query = api.useQuery(
    "get",
    "/api/v1/accounts/{address}/ai-audits",
    accountPage(address, pages),
  );
  return (
    <PagedList pages={pages} query={query} what="the AI audits" empty="No AI audits.">
      {(page) => (
        <ul data-testid="audits">
          {page.items.map((a) => (
            <li key={`${a.chain_id}-${a.tx_hash}`}>
              Model <span className="mono">{shortHash(a.model_id)}</span>: transparency{" "}
              {a.transparency}, bias {a.bias}, human alignment {a.human_alignment}, environment{" "}
              {a.environmental_impact} (of 1000); reward{" "}
              <Amount raw={a.reward} symbol="AET" maxFraction={2} /> AET{" "}
              <FinalityBadge row={a} readAt={page.read_at} />
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}

function Transfers({ address, dep }: { address: string; dep: Deployment | undefined }) {
  const [params] = useSearchParams();
  const limit = Math.min(Math.max(Number(params.get("size")) || 20, 1), 500);
  const pages = useKeysetPages(`${address}:${limit}`);
  const { data, isPending, error } = api.useQuery("get", "/api/v1/accounts/{address}/transfers", {
    params: { path: { address }, query: { limit, cursor: pages.cursor } },
  });
  return (
    <>
      <QueryState isPending={isPending} error={error} what="the transfers" />
      {data && (
        <>
          {data.items.length === 0 && <Empty>No transfers.</Empty>}
          {data.items.length > 0 && (
            <table data-testid="transfers">
              <thead>
                <tr>
                  <th>Chain / block</th>
                  <th>Token</th>
                  <th>From</th>
                  <th>To</th>
                  <th className="num">Amount</th>
                  <th>Tx</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.items.map((t) => (
                  <tr
                    key={`${t.chain_id}-${t.block_number}-${t.log_index}-${t.batch_index}`}
                    data-testid="transfer"
                    data-key={`${t.chain_id}:${t.block_number}:${t.log_index}:${t.batch_index}`}
                  >
                    <td>
                      {chainName(dep, t.chain_id)} #{t.block_number}
                    </td>
                    <td>
                      {t.token ?? t.contract}
                      {decimalsOf(t.token) > 0 ? "" : ` ${t.token_id}`}
                    </td>
                    <td>
                      <AddressLink address={t.from_addr} />
                    </td>
                    <td>
                      <AddressLink address={t.to_addr} />
                    </td>
                    <td className="num">
                      <Amount raw={t.amount} symbol={t.token} />
                    </td>
                    <td className="mono small">{shortHash(t.tx_hash)}</td>
                    <td>
                      <FinalityBadge row={t} readAt={data.read_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager
            page={pages.page}
            nextCursor={data.next_cursor}
            onOlder={pages.older}
            onNewer={pages.newer}
          />
        </>
      )}
    </>
  );
}

export default function Account() {
  const params = useParams();
  const { wallet } = useWallet();
  const { data: dep } = useDeployment();
  const address = params.address ?? wallet?.address;
  const [tab, setTab] = useState<"profile" | "transfers">("profile");
  const valid = address !== undefined && isAddress(address, { strict: false });
  const profile = api.useQuery(
    "get",
    "/api/v1/esg/unified-profile/{address}",
    { params: { path: { address: address ?? "" } } },
    { enabled: valid },
  );
  if (!address) {
    return (
      <div>
        <h1>My account</h1>
        <div className="notice">
          Connect a wallet to see your account, or open any address above.
        </div>
      </div>
    );
  }
  if (!valid) {
    return (
      <div className="notice error" role="alert">
        "{address}" is not an address (0x and 40 hex digits).
      </div>
    );
  }
  const p = profile.data;
  const mine = wallet?.address.toLowerCase() === address.toLowerCase();
  return (
    <div>
      <h1>
        Account <span className="mono small">{address}</span>{" "}
        {mine && <span className="badge">you</span>}
      </h1>
      <ReadAtLine readAt={p?.read_at} />
      <div className="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === "profile"}
          onClick={() => setTab("profile")}
        >
          Profile
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === "transfers"}
          onClick={() => setTab("transfers")}
        >
          Transfers
        </button>
      </div>
      {tab === "transfers" ? (
        <section className="card">
          <h2>Transfers</h2>
          <Transfers address={address} dep={dep} />
        </section>
      ) : (
        <>
          <QueryState isPending={profile.isPending} error={profile.error} what="the account" />
          {p && (
            <>
              <section className="card">
                <h2>Balances</h2>
                <Balances profile={p} dep={dep} />
              </section>
              <section className="card">
                <h2>ESG score</h2>
                <Score profile={p} address={address} />
              </section>
              <section className="card">
                <h2>Stakes</h2>
                <Stakes address={address} />
              </section>
              <section className="card">
                <Holdings profile={p} address={address} />
              </section>
              <section className="card">
                <h2>Retirements</h2>
                <Retirements address={address} />
              </section>
              <section className="card">
                <h2>AI audits</h2>
                <Audits address={address} />
              </section>
            </>
          )}
        </>
      )}
    </div>
  );
}
