/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv } from "vite";

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  // `npm run dev`: the API of a running `make demo` (or API_URL) answers /api from the same origin.
  server: {
    proxy: { "/api": loadEnv(mode, ".", "")["API_URL"] ?? "http://127.0.0.1:8000" },
  },
  build: {
    target: "es2022",
    // benchmarks/frontend_bench.py measures the gzipped JS of the first route (budget 250 kB).
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
}));
