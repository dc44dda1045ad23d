import type { InfoFields } from './info-registry';

/** How far a load (dump, AOF, full-sync RDB) has come. */
export interface LoadingProgress {
  startedAt: number;
  totalBytes: number;
  loadedBytes: number;
}

/**
 * INFO persistence's loading_* fields while something loads, as Redis 7.0 prints them (the ETA
 * from the rate so far; 1 second before anything is read). One formula for every loader.
 */
export function loadingInfoFields(progress: LoadingProgress, now = Date.now()): InfoFields {
  const elapsed = Math.max(1, (now - progress.startedAt) / 1000);
  const perc = progress.totalBytes === 0 ? 0 : (progress.loadedBytes / progress.totalBytes) * 100;
  const eta = progress.loadedBytes === 0 ? 1 : Math.round((progress.totalBytes - progress.loadedBytes) / (progress.loadedBytes / elapsed));
  return [
    ['loading_start_time', Math.floor(progress.startedAt / 1000)],
    ['loading_total_bytes', progress.totalBytes],
    ['loading_rdb_used_mem', 0],
    ['loading_loaded_bytes', progress.loadedBytes],
    ['loading_loaded_perc', perc.toFixed(2)],
    ['loading_eta_seconds', eta],
  ];
}
