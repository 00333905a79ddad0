import { setFlagsFromString } from 'node:v8';
import type { AccountAws, CallerAws } from '../app/ports.js';
import type { ScanProgress } from '../model/scan.js';

/**
 * A scan keeps little (a slim record per cluster, then the report), but every AWS call in flight
 * allocates, and a few hundred calls are in flight at once (17 regions x 10). Left alone, V8
 * answers that allocation rate by growing the young generation up to 2 x 16 MB, and lets the old
 * generation grow to up to four times what survived its last full GC: garbage was most of the peak
 * RSS of a large audit. These two flags keep both near the live size (V8 reads them when it grows
 * a space, so they take effect when set at run time): the 10,000-cluster audit's peak RSS from
 * about 170 to 130 MB, for about 10 % more CPU time (more, smaller collections; measured in
 * docs/performance.md, "Heap growth").
 */
export function keepHeapNearLiveSize(): void {
  setFlagsFromString('--heap-growing-percent=20');
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Below it, the peak RSS stays under about 125 MB without the flags, and their CPU time buys
 * nothing that matters; past it, they are set early in the scan, since every region is listed
 * before most of its clusters are described.
 */
export const HEAP_KEPT_SMALL_FROM_CLUSTERS = 2_000;

/**
 * The caller's AWS, counting the clusters every account lists; `onLarge` runs once, when the count
 * passes `threshold`.
 */
export function onceManyClustersListed(
  caller: CallerAws,
  onLarge: () => void,
  threshold = HEAP_KEPT_SMALL_FROM_CLUSTERS,
): CallerAws {
  let listed = 0;
  const counted = (progress: ScanProgress): ScanProgress => ({
    clusterListed: (region, count) => {
      const before = listed;
      listed += count;
      if (before <= threshold && listed > threshold) onLarge();
      progress.clusterListed(region, count);
    },
    clusterDescribed: (region) => progress.clusterDescribed(region),
  });
  const counting = (aws: AccountAws): AccountAws => ({
    ...aws,
    scanRegion: (region, options, progress) => aws.scanRegion(region, options, counted(progress)),
  });
  return {
    own: counting(caller.own),
    listOrganizationAccounts: (parentId, signal) =>
      caller.listOrganizationAccounts(parentId, signal),
    openAccount: async (target) => {
      const opened = await caller.openAccount(target);
      return opened.ok ? { ok: true, aws: counting(opened.aws) } : opened;
    },
  };
}
