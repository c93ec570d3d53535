import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A separate build folder lets a second build run beside a server using the first (tests, benches).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm run typecheck` checks the whole project (server, tests, scripts) as its own step of `npm test`.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
