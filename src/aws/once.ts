/**
 * `build` run on first use, its promise kept for every later use; a promise that rejects is not
 * kept, so the next use builds again instead of failing for the client's whole life.
 */
export function onceUnlessRejected<T>(build: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | undefined;
  return () => {
    if (!kept) {
      const building = build();
      kept = building;
      building.then(undefined, () => {
        if (kept === building) kept = undefined;
      });
    }
    return kept;
  };
}
