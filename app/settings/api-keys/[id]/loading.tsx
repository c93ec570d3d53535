import { PageSkeleton } from "@/components/ui/list-states";

export default function Loading() {
  return <PageSkeleton label="Loading the key" blocks={["h-8 w-56", "h-40 w-full", "h-40 w-full"]} />;
}
