/** One address (or the connected wallet's): balances, ESG score and gems from its unified
 * profile, the score's history, and its stakes, certificates, retirements, AI audits and
 * transfers from the account list routes, each paged by its keyset. */
import type { UseQueryResult } from "@tanstack/react-query";
import { lazy, Suspense, useState, type ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { isAddress } from "viem";

import { api, type Schemas } from "../api/client";
import { Amount } from "../components/Amount";
import { AddressLink } from "../components/Address";
import { Card } from "../components/Card";
import { OnChain } from "../components/OnChain";
import { DataTable, finalityColumn, type TableSpec } from "../components/DataTable";
import { FinalityBadge, ReadAtLine } from "../components/FinalityBadge";
import { PagedList } from "../components/PagedList";
import { useKeysetPages } from "../components/Pager";
import { retirementsTable } from "../components/RetirementsTable";
import { Empty, QueryState } from "../components/Status";
import { Tabs } from "../components/Tabs";
import { chainName, useDeployment, type Deployment } from "../chain/deployment";
import { pendingCount, type ReadAt } from "../lib/finality";
import { decimalsOf, formatBasisPoints, formatTime, shortHash } from "../lib/format";
import { useWallet } from "../wallet/WalletProvider";

const ScoreChart = lazy(() => import("../components/ScoreChart"));

type Profile = Schemas["ProfileOut"];
type Balance = Schemas["Balance"];
type Stake = Schemas["Stake"];
type Transfer = Schemas["Transfer"];

function balancesTable(dep: Deployment | undefined, readAt: ReadAt[]): TableSpec<Balance> {
  return {
    testId: "balances",
    rowKey: (b) => `${b.chain_id}-${b.contract}-${b.token_id}`,
    rowProps: (b) => ({
      "data-testid": "balance",
      "data-chain": b.chain_id,
      "data-token": b.token ?? b.contract,
      "data-contract": b.contract,
      "data-token-id": b.token_id,
    }),
    columns: [
      { head: "Chain", cell: (b) => chainName(dep, b.chain_id) },
      { head: "Token", cell: (b) => b.token ?? b.contract },
      { head: "Id", cell: (b) => (decimalsOf(b.token) > 0 ? "" : b.token_id) },
      { head: "Balance", num: true, cell: (b) => <Amount raw={b.amount} symbol={b.token} /> },
      finalityColumn(readAt),
    ],
  };
}

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
      <DataTable table={balancesTable(dep, profile.read_at)} rows={profile.balances} />
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

/** The account lists paged here, by the last part of their route, and their pages. */
type AccountPages = {
  stakes: Schemas["AccountPage_Stake_"];
  certificates: Schemas["AccountPage_Certificate_"];
  retirements: Schemas["AccountPage_Retirement_"];
  "ai-audits": Schemas["AccountPage_Audit_"];
};

/** An account list (`/accounts/{address}/...`, keyset pages; the profile's own sections stop
 * at a fixed number of rows): ``children`` renders the rows of a page, ``what`` names them. */
function AccountList<L extends keyof AccountPages>({
  list,
  address,
  what,
  children,
}: {
  list: L;
  address: string;
  what: string;
  children: (page: AccountPages[L]) => ReactNode;
}) {
  const pages = useKeysetPages(`${list}:${address}`);
  // The lists share their parameters; TypeScript cannot follow a path built from ``list`` to its
  // response type, so the route is named as one of them and the page typed by AccountPages.
  const path = `/api/v1/accounts/{address}/${list}` as "/api/v1/accounts/{address}/stakes";
  const query = api.useQuery("get", path, {
    params: { path: { address }, query: { limit: 20, cursor: pages.cursor } },
  }) as unknown as UseQueryResult<AccountPages[L]>;
  return (
    <PagedList pages={pages} query={query} what={`the ${what}`} empty={`No ${what}.`}>
      {children}
    </PagedList>
  );
}

function stakesTable(readAt: ReadAt[]): TableSpec<Stake> {
  return {
    testId: "stakes",
    rowKey: (s) => `${s.chain_id}-${s.position_id}`,
    columns: [
      {
        head: "Position",
        cell: (s) => <OnChain id={s.position_id} chain={`chain ${s.chain_id}`} />,
      },
      {
        head: "GST",
        num: true,
        cell: (s) => (s.amount ? <Amount raw={s.amount} symbol="GST" /> : "—"),
      },
      { head: "Lock", num: true, cell: (s) => `${s.lock_days ?? "—"} d` },
      {
        head: "APR",
        num: true,
        cell: (s) => (s.apr_bp ? `${formatBasisPoints(Number(s.apr_bp))} %` : "—"),
      },
      { head: "Unlocks", cell: (s) => formatTime(s.unlock_time) },
      { head: "Status", cell: (s) => s.status ?? "—" },
      {
        head: "Rewards claimed",
        num: true,
        cell: (s) => <Amount raw={s.rewards_claimed} symbol="GST" maxFraction={4} />,
      },
      finalityColumn(readAt),
    ],
  };
}

/** The items of a page (or the profile), each with its finality badge last. */
function ItemList<T extends { final: boolean; chain_id: number; block_number?: number }>({
  testId,
  page,
  itemKey,
  children,
}: {
  testId?: string;
  page: { items: T[]; read_at: ReadAt[] };
  itemKey: (item: T) => string;
  children: (item: T) => ReactNode;
}) {
  return (
    <ul data-testid={testId}>
      {page.items.map((item) => (
        <li key={itemKey(item)}>
          {children(item)} <FinalityBadge row={item} readAt={page.read_at} />
        </li>
      ))}
    </ul>
  );
}

function Holdings({ profile, address }: { profile: Profile; address: string }) {
  return (
    <div className="grid2">
      <div>
        <h3>Gems</h3>
        {profile.gems.length ? (
          <ItemList
            page={{ items: profile.gems, read_at: profile.read_at }}
            itemKey={(g) => `${g.chain_id}-${g.gem_id}`}
          >
            {(g) => (
              <>
                Gem {g.gem_id} × {g.amount}{" "}
                {g.claimed && <span className="muted">(claimed by score)</span>}
              </>
            )}
          </ItemList>
        ) : (
          <Empty>No gems.</Empty>
        )}
      </div>
      <div>
        <h3>Certificates</h3>
        <AccountList list="certificates" address={address} what="certificates">
          {(page) => (
            <ItemList
              testId="certificates"
              page={page}
              itemKey={(c) => `${c.chain_id}-${c.token_id}`}
            >
              {(c) => (
                <>
                  <Link to={`/certificates/${c.chain_id}/${c.token_id}`}>
                    Certificate #{c.token_id}
                  </Link>
                  : {c.tonnes} t of batch {c.batch_id}
                </>
              )}
            </ItemList>
          )}
        </AccountList>
      </div>
    </div>
  );
}

function Audits({ page }: { page: AccountPages["ai-audits"] }) {
  return (
    <ItemList testId="audits" page={page} itemKey={(a) => `${a.chain_id}-${a.tx_hash}`}>
      {(a) => (
        <>
          Model <span className="mono">{shortHash(a.model_id)}</span>: transparency {a.transparency}
          , bias {a.bias}, human alignment {a.human_alignment}, environment {a.environmental_impact}{" "}
          (of 1000); reward <Amount raw={a.reward} symbol="AET" maxFraction={2} /> AET
        </>
      )}
    </ItemList>
  );
}

function transfersTable(dep: Deployment | undefined, readAt: ReadAt[]): TableSpec<Transfer> {
  const key = (t: Transfer, sep: string) =>
    [t.chain_id, t.block_number, t.log_index, t.batch_index].join(sep);
  return {
    testId: "transfers",
    rowKey: (t) => key(t, "-"),
    rowProps: (t) => ({ "data-testid": "transfer", "data-key": key(t, ":") }),
    columns: [
      { head: "Chain / block", cell: (t) => `${chainName(dep, t.chain_id)} #${t.block_number}` },
      {
        head: "Token",
        cell: (t) => `${t.token ?? t.contract}${decimalsOf(t.token) > 0 ? "" : ` ${t.token_id}`}`,
      },
      { head: "From", cell: (t) => <AddressLink address={t.from_addr} /> },
      { head: "To", cell: (t) => <AddressLink address={t.to_addr} /> },
      { head: "Amount", num: true, cell: (t) => <Amount raw={t.amount} symbol={t.token} /> },
      { head: "Tx", className: "mono small", cell: (t) => shortHash(t.tx_hash) },
      finalityColumn(readAt),
    ],
  };
}

function Transfers({ address, dep }: { address: string; dep: Deployment | undefined }) {
  const [params] = useSearchParams();
  const limit = Math.min(Math.max(Number(params.get("size")) || 20, 1), 500);
  const pages = useKeysetPages(`${address}:${limit}`);
  const query = api.useQuery("get", "/api/v1/accounts/{address}/transfers", {
    params: { path: { address }, query: { limit, cursor: pages.cursor } },
  });
  return (
    <PagedList pages={pages} query={query} what="the transfers" empty="No transfers." pagerAlways>
      {(page) => <DataTable table={transfersTable(dep, page.read_at)} rows={page.items} />}
    </PagedList>
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
      <Tabs
        labels={{ profile: "Profile", transfers: "Transfers" }}
        current={tab}
        onChoose={setTab}
      />
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
              <Card title="Stakes">
                <AccountList list="stakes" address={address} what="stakes">
                  {(page) => <DataTable table={stakesTable(page.read_at)} rows={page.items} />}
                </AccountList>
              </Card>
              <Card>
                <Holdings profile={p} address={address} />
              </Card>
              <Card title="Retirements">
                <AccountList list="retirements" address={address} what="retirements">
                  {(page) => (
                    <DataTable
                      table={retirementsTable({
                        testId: "account-retirements",
                        readAt: page.read_at,
                        feed: false,
                      })}
                      rows={page.items}
                    />
                  )}
                </AccountList>
              </Card>
              <Card title="AI audits">
                <AccountList list="ai-audits" address={address} what="AI audits">
                  {(page) => <Audits page={page} />}
                </AccountList>
              </Card>
            </>
          )}
        </>
      )}
    </div>
  );
}
