import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The keys API is served by server.ts (Hono), never by Next.js.
};

export default nextConfig;
