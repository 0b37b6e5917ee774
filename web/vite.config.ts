/**
 * The dashboard's build: `npm run build:web` (part of `npm run build`) writes dist/web/app, which `arbiter view`
 * serves. `npx vite web --config web/vite.config.ts` runs a dev server that proxies the API to an `arbiter view` on
 * the default port.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/web/app", import.meta.url)),
    emptyOutDir: true,
    // ECharts (with zrender) is one chunk of its own, loaded by the chart pages only: the leaderboard and the run's
    // samples never wait for it.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: "echarts", test: /node_modules[\\/](echarts|zrender)[\\/]/ }] } },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:7357" } },
});
