import { createHash } from "node:crypto";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import type { CORSOptions, GraphiQLOptions, Plugin } from "graphql-yoga";

/**
 * Cross-origin access to `/graphql`: only pages from `origins` (CORS_ORIGINS) get CORS headers,
 * with credentials; any other origin gets none, so a browser refuses its preflight and keeps
 * the answer from its script. Same-origin pages need no CORS at all.
 *
 * A request from another origin is not refused outright: our credentials are bearer tokens sent
 * in `Authorization`, never cookies, so a page elsewhere has no credentials of the user to send,
 * and any request that could carry a token needs a preflight it fails. The requests a browser
 * sends without a preflight (forms, multipart, GET) are stopped by the CSRF header
 * (useCsrfHeader.ts). Refusing by Origin would add nothing but a guess at our own origin, which
 * behind a proxy the server cannot know for sure.
 */
export function corsPolicy(origins: readonly string[]): (request: Request) => CORSOptions {
  return (request) => {
    const origin = request.headers.get("origin");
    if (origin === null || !origins.includes(origin)) return false;
    return { origin: [origin], credentials: true, methods: ["GET", "POST"] };
  };
}

/** For every answer of `/graphql`: no sniffing, no framing, no Referer. */
const COMMON_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/** JSON and event streams are no documents to run anything in. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * The CSP of GraphiQL's page: its own inline script (by hash), the Monaco editor's workers (blob:
 * URLs the script makes), the styles Monaco adds as it runs (hence 'unsafe-inline' for styles
 * only), its inlined icon and fonts (data:), and requests to this server alone ('self' includes
 * ws: to the same host).
 */
function graphiqlPolicy(html: string): string {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => sha256(match[1] ?? ""));
  return [
    "default-src 'none'",
    `script-src ${scripts.join(" ")}`,
    "worker-src blob:",
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Security headers for Yoga's answers, and the GraphiQL renderer whose page they fit: GraphiQL
 * (9 MB of inline script) is rendered once per options and its script hashed then, so the
 * header names exactly the script this server sends.
 */
export function createSecurityHeaders(): { plugin: Plugin; renderGraphiQL: (options: GraphiQLOptions) => string } {
  let page: { key: string; html: string; policy: string } | undefined;
  return {
    renderGraphiQL(options) {
      const key = JSON.stringify(options);
      if (page?.key !== key) {
        const html = renderGraphiQL(options);
        page = { key, html, policy: graphiqlPolicy(html) };
      }
      return page.html;
    },
    plugin: {
      onResponse({ response }) {
        const isPage = response.headers.get("content-type")?.startsWith("text/html") ?? false;
        for (const [name, value] of Object.entries(COMMON_HEADERS)) response.headers.set(name, value);
        // CORS headers depend on the request's Origin: a cache must not hand one origin's to another
        if (!/\borigin\b/i.test(response.headers.get("vary") ?? "")) response.headers.append("vary", "Origin");
        // an HTML answer of Yoga's is GraphiQL's page, rendered above
        response.headers.set("content-security-policy", isPage && page ? page.policy : API_POLICY);
      },
    },
  };
}
