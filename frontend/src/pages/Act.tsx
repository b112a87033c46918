/** Wallet actions sent straight to the contracts: one form per action module. */
import { useEffect, useState, type ChangeEvent, type FormEvent, type ReactNode } from "react";
import { useSearchParams } from "react-router";
import { getAddress, type Address } from "viem";

import { BRIDGEABLE, destinations, planBridge, type Bridgeable } from "../actions/bridge";
import { planClaimGem } from "../actions/claimGem";
import { planRetire } from "../actions/retire";
import { planStake } from "../actions/stake";
import { planTransfer, TRANSFERABLE } from "../actions/transfer";
import type { ActionContext } from "../actions/context";
import type { ActionPlan } from "../actions/lifecycle";
import { useAction } from "../actions/useAction";
import { planVote, SUPPORT } from "../actions/vote";
import { ActionProgress } from "../components/ActionProgress";
import { NetworkGuard } from "../components/NetworkGuard";
import { QueryState } from "../components/Status";
import { Tabs } from "../components/Tabs";
import { chainName, useDeployment } from "../chain/deployment";
import { decimalsOf, parseAmount } from "../lib/format";
import { publicClient } from "../wallet/clients";
import { useWallet } from "../wallet/WalletProvider";

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

/** How one input of an action form looks: a text box, or a choice when it has ``options``
 * (their text is their value). */
interface InputSpec {
  label: string;
  name: string;
  mono?: boolean;
  maxLength?: number;
  options?: readonly string[];
}

/** A labelled input (text box or choice) bound to a state setter. */
function Input({
  label,
  name,
  mono = false,
  maxLength,
  options,
  value,
  onChange,
}: InputSpec & { value: string; onChange: (value: string) => void }) {
  const change = (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => onChange(e.target.value);
  return (
    <Field label={label}>
      {options ? (
        <select name={name} value={value} onChange={change}>
          {options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : (
        <input
          name={name}
          className={mono ? "mono" : undefined}
          value={value}
          maxLength={maxLength}
          onChange={change}
        />
      )}
    </Field>
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

/** Where a form's first values come from: the connected wallet and the page's query. */
interface Defaults {
  me: string;
  params: URLSearchParams;
}

/** One input of an action form and its value when the form opens. */
interface FieldSpec<N extends string> extends InputSpec {
  name: N;
  initial: string | ((d: Defaults) => string);
}

/** An action whose form is a list of fields: its tab, heading and button, and how ``build``
 * plans it from the fields' current values. */
interface FormSpec<N extends string> {
  labels: { tab: string; title: string; submit: string };
  fields: FieldSpec<N>[];
  build: (ctx: ActionContext, values: Record<N, string>) => Promise<ActionPlan>;
}

/** ``spec`` as it is, with its field names inferred (so ``build`` sees exactly those). */
const form = <N extends string>(spec: FormSpec<N>) => spec;

/** The form of ``spec``. A field still empty takes its initial value when that changes (the
 * wallet's address arriving after the page). */
function FieldsAction<N extends string>({
  chainId,
  spec,
  defaults,
}: {
  chainId: number;
  spec: FormSpec<N>;
  defaults: Defaults;
}) {
  const { labels, fields, build } = spec;
  const initial = () =>
    Object.fromEntries(
      fields.map((f) => [
        f.name,
        typeof f.initial === "function" ? f.initial(defaults) : f.initial,
      ]),
    ) as Record<N, string>;
  const [values, setValues] = useState(initial);
  const initials = JSON.stringify(initial());
  useEffect(() => {
    const fresh = JSON.parse(initials) as Record<N, string>;
    setValues((v) => {
      const filled = { ...v };
      for (const name in fresh) filled[name] = v[name] || fresh[name];
      return filled;
    });
  }, [initials]);
  const set = (name: N) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  return (
    <ActionForm
      chainId={chainId}
      title={labels.title}
      submit={labels.submit}
      build={(ctx) => build(ctx, values)}
    >
      {fields.map(({ initial: _, ...input }) => (
        <Input key={input.name} {...input} value={values[input.name]} onChange={set(input.name)} />
      ))}
    </ActionForm>
  );
}

const RETIRE = form({
  labels: {
    tab: "Retire credits",
    title: "Retire carbon credits into a certificate",
    submit: "Retire",
  },
  fields: [
    { name: "batch", label: "Batch id", initial: (d) => d.params.get("batch") ?? "1" },
    { name: "amount", label: "Tonnes (tCO2e)", initial: "1" },
    { name: "beneficiary", label: "Beneficiary", initial: (d) => d.me, mono: true },
    { name: "message", label: "Message", initial: "Offsetting our emissions", maxLength: 256 },
  ],
  build: (ctx, v) =>
    planRetire(ctx, {
      batchId: wholeNumber(v.batch, "Batch"),
      amount: parseAmount(v.amount, 0),
      beneficiary: address(v.beneficiary, "Beneficiary"),
      message: v.message,
    }),
});

const TRANSFER = form({
  labels: { tab: "Transfer GST/ECT", title: "Transfer GST or ECT", submit: "Transfer" },
  fields: [
    { name: "token", label: "Token", initial: "GST", options: TRANSFERABLE },
    { name: "to", label: "Recipient", initial: "", mono: true },
    { name: "amount", label: "Amount", initial: "1" },
  ],
  build: (ctx, v) => {
    const token = v.token as (typeof TRANSFERABLE)[number];
    const amount = parseAmount(v.amount, decimalsOf(token));
    return planTransfer(ctx, { token, to: address(v.to, "Recipient"), amount });
  },
});

const STAKE = form({
  labels: { tab: "Stake GST", title: "Stake GST in EcoStake", submit: "Stake" },
  fields: [
    { name: "amount", label: "GST", initial: "100" },
    { name: "days", label: "Lock (days, 7–365)", initial: "30" },
  ],
  build: (ctx, v) =>
    planStake(ctx, {
      amount: parseAmount(v.amount, 18),
      lockDays: Number(wholeNumber(v.days, "Lock")),
    }),
});

const VOTE = form({
  labels: { tab: "Vote", title: "Vote on a proposal", submit: "Vote" },
  fields: [
    {
      name: "proposal",
      label: "Proposal id",
      initial: (d) => d.params.get("proposal") ?? "",
      mono: true,
    },
    { name: "support", label: "Vote", initial: "for", options: Object.keys(SUPPORT) },
  ],
  build: (ctx, v) => {
    const support = v.support as keyof typeof SUPPORT;
    return planVote(ctx, { proposalId: wholeNumber(v.proposal, "Proposal id"), support });
  },
});

const CLAIM_GEM = form({
  labels: { tab: "Claim a gem", title: "Claim a gem earned by ESG score", submit: "Claim" },
  fields: [{ name: "gem", label: "Gem id", initial: "1" }],
  build: (ctx, v) => planClaimGem(ctx, { gemId: wholeNumber(v.gem, "Gem id") }),
});

/** The actions by their key in the page's query (``?action=``), in the order of their tabs. */
const FORMS = { retire: RETIRE, transfer: TRANSFER, stake: STAKE, vote: VOTE, gem: CLAIM_GEM };
const ACTIONS = { ...FORMS, bridge: { labels: { tab: "Bridge" } } } as const;
type ActionKey = keyof typeof ACTIONS;
const TAB_LABELS = Object.fromEntries(
  Object.entries(ACTIONS).map(([key, a]) => [key, a.labels.tab]),
) as Record<ActionKey, string>;

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
      <Input
        label="Token"
        name="token"
        value={token}
        options={BRIDGEABLE}
        onChange={(t) => setToken(t as Bridgeable)}
      />
      {token === "CCR" && <Input label="Batch id" name="batch" value={batch} onChange={setBatch} />}
      <Input label="Amount" name="amount" value={amount} onChange={setAmount} />
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
          <Tabs labels={TAB_LABELS} current={action} onChoose={(key) => choose("action", key)} />
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
          {action === "bridge" ? (
            <Bridge key={chainId} chainId={chainId} me={me} />
          ) : (
            <FieldsAction
              key={`${action}:${chainId}`}
              chainId={chainId}
              spec={FORMS[action] as FormSpec<string>}
              defaults={{ me, params }}
            />
          )}
        </>
      )}
    </div>
  );
}
