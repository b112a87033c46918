/** Wallet actions sent straight to the contracts: one form per action module. */
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useSearchParams } from "react-router";
import { getAddress, type Address } from "viem";

import { BRIDGEABLE, destinations, planBridge, type Bridgeable } from "../actions/bridge";
import { planClaimGem } from "../actions/claimGem";
import { planRetire } from "../actions/retire";
import { planStake } from "../actions/stake";
import { planTransfer, TRANSFERABLE } from "../actions/transfer";
import { useAction } from "../actions/useAction";
import { planVote, SUPPORT } from "../actions/vote";
import { ActionProgress } from "../components/ActionProgress";
import { NetworkGuard } from "../components/NetworkGuard";
import { QueryState } from "../components/Status";
import { chainName, useDeployment } from "../chain/deployment";
import { decimalsOf, parseAmount } from "../lib/format";
import { publicClient } from "../wallet/clients";
import { useWallet } from "../wallet/WalletProvider";

const ACTIONS = {
  retire: "Retire credits",
  transfer: "Transfer GST/ECT",
  stake: "Stake GST",
  vote: "Vote",
  gem: "Claim a gem",
  bridge: "Bridge",
} as const;
type ActionKey = keyof typeof ACTIONS;

function address(text: string, what: string): Address {
  try {
    return getAddress(text.trim());
  } catch {
    throw new Error(`${what}: "${text}" is not an address (0x and 40 hex digits)`);
  }
}

function wholeNumber(text: string, what: string): bigint {
  if (!/^\d+$/.test(text.trim())) throw new Error(`${what}: "${text}" is not a whole number`);
  return BigInt(text.trim());
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

function ActionForm({
  chainId,
  title,
  build,
  children,
  submit,
}: {
  chainId: number;
  title: string;
  build: Parameters<ReturnType<typeof useAction>["run"]>[1];
  children: ReactNode;
  submit: string;
}) {
  const { data: dep } = useDeployment();
  const { state, busy, run } = useAction();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void run(chainId, build);
  };
  return (
    <section className="card">
      <h2>{title}</h2>
      <NetworkGuard chainId={chainId} dep={dep}>
        <form onSubmit={onSubmit} className="form">
          {children}
          <button type="submit" disabled={busy} data-testid="submit-action">
            {busy ? "Working…" : submit}
          </button>
        </form>
        <ActionProgress state={state} />
      </NetworkGuard>
    </section>
  );
}

function Retire({ chainId, me }: { chainId: number; me: string }) {
  const [params] = useSearchParams();
  const [batch, setBatch] = useState(params.get("batch") ?? "1");
  const [amount, setAmount] = useState("1");
  const [beneficiary, setBeneficiary] = useState(me);
  const [message, setMessage] = useState("Offsetting our emissions");
  useEffect(() => setBeneficiary((b) => b || me), [me]);
  return (
    <ActionForm
      chainId={chainId}
      title="Retire carbon credits into a certificate"
      submit="Retire"
      build={(ctx) =>
        planRetire(ctx, {
          batchId: wholeNumber(batch, "Batch"),
          amount: parseAmount(amount, 0),
          beneficiary: address(beneficiary, "Beneficiary"),
          message,
        })
      }
    >
      <Field label="Batch id">
        <input name="batch" value={batch} onChange={(e) => setBatch(e.target.value)} />
      </Field>
      <Field label="Tonnes (tCO2e)">
        <input name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      <Field label="Beneficiary">
        <input
          name="beneficiary"
          className="mono"
          value={beneficiary}
          onChange={(e) => setBeneficiary(e.target.value)}
        />
      </Field>
      <Field label="Message">
        <input
          name="message"
          value={message}
          maxLength={256}
          onChange={(e) => setMessage(e.target.value)}
        />
      </Field>
    </ActionForm>
  );
}

function Transfer({ chainId }: { chainId: number }) {
  const [token, setToken] = useState<(typeof TRANSFERABLE)[number]>("GST");
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("1");
  return (
    <ActionForm
      chainId={chainId}
      title="Transfer GST or ECT"
      submit="Transfer"
      build={(ctx) =>
        planTransfer(ctx, {
          token,
          to: address(to, "Recipient"),
          amount: parseAmount(amount, decimalsOf(token)),
        })
      }
    >
      <Field label="Token">
        <select
          name="token"
          value={token}
          onChange={(e) => setToken(e.target.value as typeof token)}
        >
          {TRANSFERABLE.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Field label="Recipient">
        <input name="to" className="mono" value={to} onChange={(e) => setTo(e.target.value)} />
      </Field>
      <Field label="Amount">
        <input name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
    </ActionForm>
  );
}

function Stake({ chainId }: { chainId: number }) {
  const [amount, setAmount] = useState("100");
  const [days, setDays] = useState("30");
  return (
    <ActionForm
      chainId={chainId}
      title="Stake GST in EcoStake"
      submit="Stake"
      build={(ctx) =>
        planStake(ctx, {
          amount: parseAmount(amount, 18),
          lockDays: Number(wholeNumber(days, "Lock")),
        })
      }
    >
      <Field label="GST">
        <input name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      <Field label="Lock (days, 7–365)">
        <input name="days" value={days} onChange={(e) => setDays(e.target.value)} />
      </Field>
    </ActionForm>
  );
}

function Vote({ chainId }: { chainId: number }) {
  const [params] = useSearchParams();
  const [proposal, setProposal] = useState(params.get("proposal") ?? "");
  const [support, setSupport] = useState<keyof typeof SUPPORT>("for");
  return (
    <ActionForm
      chainId={chainId}
      title="Vote on a proposal"
      submit="Vote"
      build={(ctx) => planVote(ctx, { proposalId: wholeNumber(proposal, "Proposal id"), support })}
    >
      <Field label="Proposal id">
        <input
          name="proposal"
          className="mono"
          value={proposal}
          onChange={(e) => setProposal(e.target.value)}
        />
      </Field>
      <Field label="Vote">
        <select
          name="support"
          value={support}
          onChange={(e) => setSupport(e.target.value as typeof support)}
        >
          {Object.keys(SUPPORT).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </Field>
    </ActionForm>
  );
}

function ClaimGem({ chainId }: { chainId: number }) {
  const [gem, setGem] = useState("1");
  return (
    <ActionForm
      chainId={chainId}
      title="Claim a gem earned by ESG score"
      submit="Claim"
      build={(ctx) => planClaimGem(ctx, { gemId: wholeNumber(gem, "Gem id") })}
    >
      <Field label="Gem id">
        <input name="gem" value={gem} onChange={(e) => setGem(e.target.value)} />
      </Field>
    </ActionForm>
  );
}

function Bridge({ chainId, me }: { chainId: number; me: string }) {
  const { data: dep } = useDeployment();
  const wallet = useWallet();
  const [token, setToken] = useState<Bridgeable>("GST");
  const [batch, setBatch] = useState("1");
  const [amount, setAmount] = useState("10");
  const [dests, setDests] = useState<number[] | null>(null);
  const [dest, setDest] = useState<number | null>(null);
  const owner = wallet.wallet?.address;
  useEffect(() => {
    const reader = publicClient(wallet.wallet, chainId);
    if (!dep || !reader || !owner) return;
    let live = true;
    destinations({ dep, chainId, owner, reader }, token)
      .then((d) => {
        if (!live) return;
        setDests(d);
        setDest(d[0] ?? null);
      })
      .catch(() => live && setDests([]));
    return () => {
      live = false;
    };
  }, [dep, chainId, token, owner]);
  return (
    <ActionForm
      chainId={chainId}
      title="Bridge to another chain"
      submit="Send"
      build={async (ctx) => {
        if (dest === null) throw new Error(`${token} is not bridged from this chain to any other.`);
        return planBridge(ctx, {
          token,
          batchId: token === "CCR" ? wholeNumber(batch, "Batch") : undefined,
          amount: parseAmount(amount, decimalsOf(token)),
          recipient: address(me, "Recipient"),
          destChainId: dest,
        });
      }}
    >
      <Field label="Token">
        <select name="token" value={token} onChange={(e) => setToken(e.target.value as Bridgeable)}>
          {BRIDGEABLE.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      {token === "CCR" && (
        <Field label="Batch id">
          <input name="batch" value={batch} onChange={(e) => setBatch(e.target.value)} />
        </Field>
      )}
      <Field label="Amount">
        <input name="amount" value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      <Field label="To chain">
        <select
          name="dest"
          value={dest ?? ""}
          onChange={(e) => setDest(Number(e.target.value))}
          disabled={!dests?.length}
        >
          {(dests ?? []).map((d) => (
            <option key={d} value={d}>
              {chainName(dep, d)}
            </option>
          ))}
        </select>
      </Field>
      {dests?.length === 0 && <p className="muted">No bridge route for {token} from this chain.</p>}
    </ActionForm>
  );
}

export default function Act() {
  const { data: dep, isPending, error } = useDeployment();
  const { wallet } = useWallet();
  const [params, setParams] = useSearchParams();
  const action =
    (params.get("action") as ActionKey) in ACTIONS ? (params.get("action") as ActionKey) : "retire";
  const chainParam = Number(params.get("chain"));
  const chainId =
    dep?.chains.find((c) => c.chain_id === chainParam)?.chain_id ??
    dep?.chains.find((c) => c.chain_id === wallet?.chainId)?.chain_id ??
    dep?.chains[0]?.chain_id;
  const me = wallet?.address ?? "";
  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  return (
    <div>
      <h1>Act</h1>
      <p className="muted">
        Transactions go from your wallet straight to the contracts; each shows its stages until the
        API has indexed it.
      </p>
      <QueryState isPending={isPending} error={error} what="the deployment" />
      {dep && chainId !== undefined && (
        <>
          <div className="tabs" role="tablist">
            {(Object.keys(ACTIONS) as ActionKey[]).map((k) => (
              <button
                type="button"
                role="tab"
                key={k}
                aria-selected={k === action}
                onClick={() => choose("action", k)}
              >
                {ACTIONS[k]}
              </button>
            ))}
          </div>
          <label className="field inline">
            <span>Chain</span>
            <select name="chain" value={chainId} onChange={(e) => choose("chain", e.target.value)}>
              {dep.chains.map((c) => (
                <option key={c.chain_id} value={c.chain_id}>
                  {chainName(dep, c.chain_id)}
                </option>
              ))}
            </select>
          </label>
          {action === "retire" && <Retire key={chainId} chainId={chainId} me={me} />}
          {action === "transfer" && <Transfer key={chainId} chainId={chainId} />}
          {action === "stake" && <Stake key={chainId} chainId={chainId} />}
          {action === "vote" && <Vote key={chainId} chainId={chainId} />}
          {action === "gem" && <ClaimGem key={chainId} chainId={chainId} />}
          {action === "bridge" && <Bridge key={chainId} chainId={chainId} me={me} />}
        </>
      )}
    </div>
  );
}
