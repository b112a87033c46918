/** One retirement certificate (ECR), with a check of its content hash. */
import { useState } from "react";
import { Link, useParams } from "react-router";
import type { Address, Hex } from "viem";

import { api, type Schemas } from "../api/client";
import { AddressLink } from "../components/Address";
import { Fact } from "../components/Facts";
import { FinalityBadge, ReadAtLine } from "../components/FinalityBadge";
import { QueryState } from "../components/Status";
import { chainName, contractOf, useDeployment } from "../chain/deployment";
import { findRetirementIndex } from "../lib/certificate";
import { describeError } from "../lib/errors";
import { useReader } from "../wallet/clients";

type Cert = Schemas["CertificateOut"];

interface Verdict {
  recomputed: { ok: boolean; index?: number; detail: string };
  onChain?: { ok: boolean; detail: string };
}

// Upper bound of the index search when the chain cannot be asked for retirement_count.
const MAX_SEARCH = 10_000;

function Verify({ cert }: { cert: Cert }) {
  const reader = useReader(cert.chain_id);
  const { data: dep } = useDeployment();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      if (!cert.ccr_contract || !cert.retired_by || !cert.beneficiary || !cert.retired_amount) {
        throw new Error("This certificate was not issued by a CCR retirement the index knows.");
      }
      let maxIndex = MAX_SEARCH;
      let onChain: Verdict["onChain"];
      if (reader && dep) {
        const ccr = contractOf(dep, cert.chain_id, "CCR");
        const ecr = contractOf(dep, cert.chain_id, "ECR");
        const count = (await reader.readContract({
          address: ccr.address,
          abi: ccr.abi,
          functionName: "retirement_count",
        })) as bigint;
        maxIndex = Number(count);
        const stored = (await reader.readContract({
          address: ecr.address,
          abi: ecr.abi,
          functionName: "content_hash",
          args: [BigInt(cert.token_id)],
        })) as Hex;
        onChain = {
          ok: stored.toLowerCase() === cert.content_hash.toLowerCase(),
          detail: `ECR.content_hash(${cert.token_id}) on chain ${cert.chain_id} is ${stored}`,
        };
      }
      const index = findRetirementIndex(
        {
          chainId: cert.chain_id,
          ccr: cert.ccr_contract as Address,
          batchId: BigInt(cert.batch_id),
          amount: BigInt(cert.retired_amount),
          beneficiary: cert.beneficiary as Address,
          message: cert.message,
          retiredBy: cert.retired_by as Address,
        },
        cert.content_hash as Hex,
        maxIndex,
      );
      setVerdict({
        recomputed:
          index === undefined
            ? { ok: false, detail: "No retirement with these fields hashes to this content hash." }
            : {
                ok: true,
                index,
                detail: `keccak256 of the retirement's fields (retirement #${index}) equals the content hash.`,
              },
        onChain,
      });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h2>Verify the content hash</h2>
      <p className="muted small">
        The hash commits to the chain, the CCR contract, the batch, the tonnes, the beneficiary, the
        message, the retiring account and the retirement's sequence number. Anyone can recompute it
        from the fields above; with a node for chain {cert.chain_id} the page also compares it with
        the hash stored in the certificate contract.
      </p>
      <button type="button" onClick={() => void verify()} disabled={busy} data-testid="verify">
        {busy ? "Verifying…" : "Verify"}
      </button>
      {error && <p className="notice error">{error}</p>}
      {verdict && (
        <ul className="verdict" data-testid="verdict">
          <li className={verdict.recomputed.ok ? "ok" : "bad"} data-ok={verdict.recomputed.ok}>
            {verdict.recomputed.ok ? "✔ Recomputed: matches. " : "✘ Recomputed: does not match. "}
            {verdict.recomputed.detail}
          </li>
          {verdict.onChain ? (
            <li className={verdict.onChain.ok ? "ok" : "bad"} data-ok={verdict.onChain.ok}>
              {verdict.onChain.ok ? "✔ On chain: matches. " : "✘ On chain: differs. "}
              {verdict.onChain.detail}
            </li>
          ) : (
            <li className="muted">
              Connect a wallet on chain {cert.chain_id} to compare with the chain.
            </li>
          )}
        </ul>
      )}
    </section>
  );
}

export default function Certificate() {
  const { chain, id } = useParams();
  const { data: dep } = useDeployment();
  const valid = /^\d+$/.test(chain ?? "") && /^\d+$/.test(id ?? "");
  const { data, isPending, error } = api.useQuery(
    "get",
    "/api/v1/certificates/{chain}/{token_id}",
    { params: { path: { chain: Number(chain), token_id: Number(id) } } },
    { enabled: valid },
  );
  if (!valid)
    return <div className="notice error">Not a certificate address: /certificates/CHAIN/ID.</div>;
  return (
    <div>
      <h1>Certificate #{id}</h1>
      <ReadAtLine readAt={data?.read_at} />
      <QueryState isPending={isPending} error={error} what="the certificate" />
      {data && (
        <>
          <section className="card" data-testid="certificate">
            <dl className="facts">
              <Fact term="Chain">{chainName(dep, data.chain_id)}</Fact>
              <Fact term="Tonnes CO2e" testId="tonnes">
                {data.tonnes}
              </Fact>
              <Fact term="Batch">{data.batch_id}</Fact>
              <Fact term="Beneficiary">
                <AddressLink address={data.beneficiary ?? data.recipient} />
              </Fact>
              <Fact term="Retired by">
                <AddressLink address={data.retired_by} />
              </Fact>
              <Fact term="Owner">
                <AddressLink address={data.owner} />{" "}
                {data.soulbound && <span className="badge">soulbound</span>}
              </Fact>
              <Fact term="Message" testId="message">
                {data.message}
              </Fact>
              <Fact term="Content hash" testId="content-hash" className="mono">
                {data.content_hash}
              </Fact>
              <Fact term="Issued">
                block {data.block_number}, tx <span className="mono small">{data.tx_hash}</span>{" "}
                <FinalityBadge row={{ ...data, final: data.final }} readAt={data.read_at} />
              </Fact>
            </dl>
            <p>
              <Link to="/carbon">All retirements</Link>
            </p>
          </section>
          <Verify cert={data} />
        </>
      )}
    </div>
  );
}
