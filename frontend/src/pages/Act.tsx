/** Wallet actions sent straight to the contracts: one form per action module. */
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
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

/** A labelled text input bound to a state setter. */
function TextField({
  label,
  name,
  value,
  onChange,
  mono = false,
  maxLength,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  mono?: boolean;
  maxLength?: number;
}) {
  return (
    <Field label={label}>
      <input
        name={name}
        className={mono ? "mono" : undefined}
        value={value}
        maxLength={maxLength}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

/** A labelled choice among ``options`` (their text is their value). */
function ChoiceField<T extends string>({
  label,
  name,
  value,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
}) {
  return (
    <Field label={label}>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
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

/** One input of an action form: a text box, or a choice when it has ``options``. */
interface FieldSpec<N extends string> {
  name: N;
  label: string;
  initial: string;
  mono?: boolean;
  maxLength?: number;
  options?: readonly string[];
}

/** An action whose form is a list of fields; ``build`` plans it from their current values.
 * A field still empty takes its ``initial`` value when that changes (the wallet's address
 * arriving after the page). */
function FieldsAction<N extends string>({
  chainId,
  title,
  submit,
  fields,
  build,
}: {
  chainId: number;
  title: string;
  submit: string;
  fields: FieldSpec<N>[];
  build: (ctx: ActionContext, values: Record<N, string>) => Promise<ActionPlan>;
}) {
  const initial = () =>
    Object.fromEntries(fields.map((f) => [f.name, f.initial])) as Record<N, string>;
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
    <ActionForm chainId={chainId} title={title} submit={submit} build={(ctx) => build(ctx, values)}>
      {fields.map(({ name, label, mono, maxLength, options }) =>
        options ? (
          <ChoiceField
            key={name}
            label={label}
            name={name}
            value={values[name]}
            options={options}
            onChange={set(name)}
          />
        ) : (
          <TextField
            key={name}
            label={label}
            name={name}
            value={values[name]}
            mono={mono}
            maxLength={maxLength}
            onChange={set(name)}
          />
        ),
      )}
    </ActionForm>
  );
}

function Retire({ chainId, me }: { chainId: number; me: string }) {
  const [params] = useSearchParams();
  return (
    <FieldsAction
      chainId={chainId}
      title="Retire carbon credits into a certificate"
      submit="Retire"
      fields={[
        { name: "batch", label: "Batch id", initial: params.get("batch") ?? "1" },
        { name: "amount", label: "Tonnes (tCO2e)", initial: "1" },
        { name: "beneficiary", label: "Beneficiary", initial: me, mono: true },
        { name: "message", label: "Message", initial: "Offsetting our emissions", maxLength: 256 },
      ]}
      build={(ctx, v) =>
        planRetire(ctx, {
          batchId: wholeNumber(v.batch, "Batch"),
          amount: parseAmount(v.amount, 0),
          beneficiary: address(v.beneficiary, "Beneficiary"),
          message: v.message,
        })
      }
    />
  );
}

function Transfer({ chainId }: { chainId: number }) {
  return (
    <FieldsAction
      chainId={chainId}
      title="Transfer GST or ECT"
      submit="Transfer"
      fields={[
        { name: "token", label: "Token", initial: "GST", options: TRANSFERABLE },
        { name: "to", label: "Recipient", initial: "", mono: true },
        { name: "amount", label: "Amount", initial: "1" },
      ]}
      build={(ctx, v) => {
        const token = v.token as (typeof TRANSFERABLE)[number];
        return planTransfer(ctx, {
          token,
          to: address(v.to, "Recipient"),
          amount: parseAmount(v.amount, decimalsOf(token)),
        });
      }}
    />
  );
}

function Stake({ chainId }: { chainId: number }) {
  return (
    <FieldsAction
      chainId={chainId}
      title="Stake GST in EcoStake"
      submit="Stake"
      fields={[
        { name: "amount", label: "GST", initial: "100" },
        { name: "days", label: "Lock (days, 7–365)", initial: "30" },
      ]}
      build={(ctx, v) =>
        planStake(ctx, {
          amount: parseAmount(v.amount, 18),
          lockDays: Number(wholeNumber(v.days, "Lock")),
        })
      }
    />
  );
}

function Vote({ chainId }: { chainId: number }) {
  const [params] = useSearchParams();
  return (
    <FieldsAction
      chainId={chainId}
      title="Vote on a proposal"
      submit="Vote"
      fields={[
        {
          name: "proposal",
          label: "Proposal id",
          initial: params.get("proposal") ?? "",
          mono: true,
        },
        { name: "support", label: "Vote", initial: "for", options: Object.keys(SUPPORT) },
      ]}
      build={(ctx, v) =>
        planVote(ctx, {
          proposalId: wholeNumber(v.proposal, "Proposal id"),
          support: v.support as keyof typeof SUPPORT,
        })
      }
    />
  );
}

function ClaimGem({ chainId }: { chainId: number }) {
  return (
    <FieldsAction
      chainId={chainId}
      title="Claim a gem earned by ESG score"
      submit="Claim"
      fields={[{ name: "gem", label: "Gem id", initial: "1" }]}
      build={(ctx, v) => planClaimGem(ctx, { gemId: wholeNumber(v.gem, "Gem id") })}
    />
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
      <ChoiceField
        label="Token"
        name="token"
        value={token}
        options={BRIDGEABLE}
        onChange={setToken}
      />
      {token === "CCR" && (
        <TextField label="Batch id" name="batch" value={batch} onChange={setBatch} />
      )}
      <TextField label="Amount" name="amount" value={amount} onChange={setAmount} />
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
