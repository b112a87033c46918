// Send 1 wei with viem's default fee suggestion (no fee fields), as the web app does, and print
// what it cost as JSON. Used by tests/chains/test_fees.py.
//   node scripts/default-fee-transfer.mjs RPC_URL PRIVATE_KEY TO
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const [rpcUrl, key, to] = process.argv.slice(2);
const transport = http(rpcUrl);
const reader = createPublicClient({ transport, pollingInterval: 100 });
const chainId = await reader.getChainId();
const chain = {
  id: chainId,
  name: `chain ${chainId}`,
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [rpcUrl] } },
};
const account = privateKeyToAccount(key);
const wallet = createWalletClient({ account, chain, transport });
const before = await reader.getBalance({ address: account.address });
const fees = await reader.estimateFeesPerGas({ chain });
const hash = await wallet.sendTransaction({ to, value: 1n });
const receipt = await reader.waitForTransactionReceipt({ hash });
const tx = await reader.getTransaction({ hash });
const after = await reader.getBalance({ address: account.address });
console.log(
  JSON.stringify({
    status: receipt.status,
    gasUsed: receipt.gasUsed.toString(),
    gasLimit: tx.gas.toString(),
    effectiveGasPrice: receipt.effectiveGasPrice.toString(),
    maxFeePerGas: (tx.maxFeePerGas ?? tx.gasPrice).toString(),
    suggestedMaxFeePerGas: fees.maxFeePerGas.toString(),
    before: before.toString(),
    after: after.toString(),
  }),
);
