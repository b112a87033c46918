import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useState, type FormEvent } from "react";
import { BrowserRouter, NavLink, Route, Routes, useNavigate } from "react-router";
import { isAddress } from "viem";

import { queryClient } from "./api/client";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { WalletButton } from "./components/WalletButton";
import { Overview } from "./pages/Overview";
import { WalletProvider } from "./wallet/WalletProvider";

// Every page but the overview is its own chunk, loaded when first visited.
const Account = lazy(() => import("./pages/Account"));
const Carbon = lazy(() => import("./pages/Carbon"));
const Certificate = lazy(() => import("./pages/Certificate"));
const Governance = lazy(() => import("./pages/Governance"));
const AiEthics = lazy(() => import("./pages/AiEthics"));
const Act = lazy(() => import("./pages/Act"));

function AddressSearch() {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!isAddress(value, { strict: false })) {
      setBad(true);
      return;
    }
    setBad(false);
    navigate(`/account/${value}`);
  };
  return (
    <form className="search" onSubmit={submit} role="search">
      <input
        aria-label="Account address"
        placeholder="0x… account address"
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={bad}
      />
      <button type="submit">Open</button>
      {bad && <span className="field-error">Not an address (0x and 40 hex digits).</span>}
    </form>
  );
}

function Layout() {
  return (
    <>
      <header className="top">
        <NavLink to="/" className="brand">
          ESG Token Ecosystem
        </NavLink>
        <nav>
          <NavLink to="/" end>
            Overview
          </NavLink>
          <NavLink to="/account">My account</NavLink>
          <NavLink to="/carbon">Carbon</NavLink>
          <NavLink to="/governance">Governance</NavLink>
          <NavLink to="/ai-ethics">AI ethics</NavLink>
          <NavLink to="/act">Act</NavLink>
        </nav>
        <WalletButton />
      </header>
      <div className="subbar">
        <AddressSearch />
      </div>
      <main>
        <ErrorBoundary>
          <Suspense fallback={<p className="muted">Loading page…</p>}>
            <Routes>
              <Route path="/" element={<Overview />} />
              <Route path="/account" element={<Account />} />
              <Route path="/account/:address" element={<Account />} />
              <Route path="/carbon" element={<Carbon />} />
              <Route path="/certificates/:chain/:id" element={<Certificate />} />
              <Route path="/governance" element={<Governance />} />
              <Route path="/ai-ethics" element={<AiEthics />} />
              <Route path="/act" element={<Act />} />
              <Route path="*" element={<p>No such page.</p>} />
            </Routes>
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <WalletProvider>
        <BrowserRouter>
          <Layout />
        </BrowserRouter>
      </WalletProvider>
    </QueryClientProvider>
  );
}
