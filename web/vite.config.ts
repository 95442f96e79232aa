/// <reference types="vitest/config" />
// Golden Hour's web app: Preact on Vite, with a service worker generated at build time that
// precaches every file of the build, so the app opens with no network after one visit.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vite";

function serviceWorker(): Plugin {
  return {
    name: "goldenhour-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => !name.endsWith(".map"));
      const publicFiles = readdirSync(new URL("./public", import.meta.url));
      const assets = [
        "/",
        ...files.filter((name) => name !== "index.html").map((name) => "/" + name),
        ...publicFiles.map((name) => "/" + name),
      ].sort();
      const hash = createHash("sha256");
      for (const name of files.sort()) {
        const item = bundle[name];
        hash.update(name);
        hash.update(item.type === "chunk" ? item.code : item.source);
      }
      const template = readFileSync(new URL("./src/sw-template.js", import.meta.url), "utf8");
      const source = template
        .replace("__VERSION__", hash.digest("hex").slice(0, 16))
        .replace("__ASSETS__", JSON.stringify(assets));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

export default defineConfig({
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  plugins: [serviceWorker()],
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8780" },
  },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
  },
});
