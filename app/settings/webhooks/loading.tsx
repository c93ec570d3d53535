import { PageSkeleton } from "@/components/ui/list-states";

export default function Loading() {
  return <PageSkeleton label="Loading webhooks" blocks={["h-8 w-40", "h-40 w-full"]} />;
}
