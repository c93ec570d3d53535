import { PageSkeleton } from "@/components/ui/list-states";

export default function Loading() {
  return <PageSkeleton label="Loading API keys" blocks={["h-8 w-40", "h-10 w-full", "h-64 w-full"]} />;
}
