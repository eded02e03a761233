/**
 * Thread of the facet helper (`facet-helper.ts`): one read-only engine over the same archive,
 * answering facet tasks in the order they arrive. It counts with the caller's facet index, which
 * arrives with the tasks in shared memory, and loads none of its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nameThread } from '../util/threads.js';
import type { FacetHelperInput, FacetTask } from './facet-helper.js';
import { SqliteSearch } from './sqlite-search.js';

nameThread('cables-facets');
const { file, tuning, cacheKib } = workerData as FacetHelperInput;
const engine = SqliteSearch.open(file, {
  readonly: true,
  tuning: { ...tuning, cacheSize: 0 },
  ...(cacheKib ? { cacheKib } : {}),
});
parentPort!.on('message', ({ seq, task }: { seq: number; task: FacetTask }) => {
  try {
    // As JSON text: a string crosses threads as one copy, where the structured clone of the reply's
    // few hundred small objects costs ~0.1–0.2 ms each way.
    const early = task.totalFirst ? (total: number) => parentPort!.postMessage({ seq, total }) : undefined;
    const reply = engine.facetTask(task, early);
    parentPort!.postMessage({ seq, json: JSON.stringify(reply) });
  } catch (e) {
    parentPort!.postMessage({ seq, error: (e as Error).message });
  }
});
