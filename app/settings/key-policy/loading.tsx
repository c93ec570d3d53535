import { PageSkeleton } from "@/components/ui/list-states";

export default function Loading() {
  return <PageSkeleton label="Loading the key policy" blocks={["h-8 w-40", "h-96 w-full max-w-2xl"]} />;
}
