//! One parallel executor for every batch of runs: sweeps ([`crate::sweep`]), the assessment's
//! alternatives x scenarios ([`runs`]) and one-way sensitivity ([`crate::sweep::Sweep::one_way`]).
//!
//! A batch is a list of independent items. [`map`] and [`map_with`] run them on a local rayon pool
//! (rayon's global pool does not survive `fork`, which Dask and multiprocessing use) and return
//! their results in item order, whatever the number of threads and the order in which items
//! finish: an item's result may depend only on the item. Each finished item counts one in a
//! shared [`Progress`], which also cancels the batch. When items fail, the error returned is that
//! of the first failing item in item order; items after a known failure are skipped, items before
//! it still run (one of them may fail first).
//!
//! [`map_with`] gives each worker a scratch value that lives across the consecutive items the
//! worker runs (rayon hands a worker contiguous ranges of items): a sweep keeps the model of the
//! last (scenario, draw) there, so its runs under every policy share one [`Model::new`]. Scratch is
//! a cache, never an input: an item's result must not depend on what it holds.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::epidemic::compartments::SLOTS;
use crate::epidemic::model::Model;
use crate::error::{Error, FieldError, Result};
use crate::impacts::{self, Outcome};
use crate::measures::plans::SectorPlans;
use crate::measures::policy::Policy;

/// Items finished and a cancellation flag, shared with whoever watches the batch. The flag also
/// stops a run inside its day loop ([`crate::limits::watching`]).
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    cancel: Arc<AtomicBool>,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Items finished so far (for a sweep: runs, one per policy per scenario per draw).
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Asks the batch to stop: items not yet started are skipped and the batch returns an error.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Runs `work` on this thread under this batch's cancellation flag: a run inside it stops
    /// within a day of simulation once the batch is cancelled.
    pub fn watching<T>(&self, work: impl FnOnce() -> T) -> T {
        crate::limits::watching(&self.cancel, work)
    }

    fn finished_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Most worker threads a batch starts.
pub const MAX_THREADS: usize = 1024;

/// The number of worker threads: `requested`, else the environment variable `AFWEGING_THREADS`,
/// else the machine's available parallelism.
pub fn thread_count(requested: Option<usize>) -> Result<usize> {
    let fail = |field: &str, value: String| {
        Err(Error::Validation(vec![FieldError {
            field: field.into(),
            message: format!("must be a whole number between 1 and {MAX_THREADS}"),
            value,
        }]))
    };
    match requested {
        Some(n) if n == 0 || n > MAX_THREADS => fail("threads", n.to_string()),
        Some(n) => Ok(n),
        None => match std::env::var("AFWEGING_THREADS") {
            Ok(text) if !text.trim().is_empty() => match text.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
                _ => fail("AFWEGING_THREADS", format!("{text:?}")),
            },
            _ => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
        },
    }
}

/// The error of a cancelled batch.
pub use crate::limits::cancelled;

/// Runs `work` on every item on `threads` threads; the results in item order. See the module
/// documentation for progress, cancellation and errors.
pub fn map<I, T, W>(items: &[I], threads: usize, progress: &Progress, work: W) -> Result<Vec<T>>
where
    I: Sync,
    T: Send,
    W: Fn(&I) -> Result<T> + Sync + Send,
{
    map_with(
        items.len(),
        threads,
        progress,
        || (),
        |_, k| work(&items[k]),
    )
}

/// Runs `work(scratch, k)` for the items `k` in `0..n` on `threads` threads; the results in item
/// order. Every worker makes its scratch with `init` and keeps it across the consecutive items it
/// runs (a cache: results must not depend on it).
pub fn map_with<S, T, Init, W>(
    n: usize,
    threads: usize,
    progress: &Progress,
    init: Init,
    work: W,
) -> Result<Vec<T>>
where
    T: Send,
    Init: Fn() -> S + Sync + Send,
    W: Fn(&mut S, usize) -> Result<T> + Sync + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("afweging-grid-{i}"))
        .build()
        .map_err(|e| {
            Error::field(
                "threads".into(),
                format!("could not start the worker threads: {e}"),
                threads.to_string(),
            )
        })?;
    // The first failing item known so far: later items need not run.
    let first_failure = AtomicUsize::new(usize::MAX);
    let results: Vec<Option<Result<T>>> = pool.install(|| {
        (0..n)
            .into_par_iter()
            .map_init(init, |scratch, k| {
                if k > first_failure.load(Ordering::Relaxed) {
                    return None;
                }
                if progress.cancelled() {
                    first_failure.fetch_min(k, Ordering::Relaxed);
                    return Some(Err(cancelled()));
                }
                let result = progress.watching(|| work(scratch, k));
                match &result {
                    Ok(_) => progress.finished_one(),
                    Err(_) => {
                        first_failure.fetch_min(k, Ordering::Relaxed);
                    }
                }
                Some(result)
            })
            .collect()
    });
    // In item order, the first error comes before any skipped item (an item is skipped only
    // after an earlier one failed).
    let mut out = Vec::with_capacity(n);
    for result in results {
        match result {
            Some(Ok(value)) => out.push(value),
            Some(Err(e)) => return Err(e),
            None => unreachable!("an item is skipped only after an earlier item failed"),
        }
    }
    Ok(out)
}

/// One run of a batch: a model, and the sector plans and policy it runs under (`None`: no
/// measures).
pub type Job<'a> = (&'a Model, Option<(&'a SectorPlans, &'a Policy)>);

/// Runs every job for `days` days, with its impacts ([`impacts::outcome`]), on `threads` threads:
/// the outcomes in job order, each the same as the job run alone. The assessment's alternatives x
/// scenarios (and its baselines) are one such batch.
pub fn runs(
    jobs: &[Job<'_>],
    days: usize,
    threads: usize,
    progress: &Progress,
) -> Result<Vec<Outcome>> {
    let per_run = jobs.iter().map(|(m, _)| m.groups).max().unwrap_or(0) * (days + 1) * SLOTS;
    crate::limits::check(
        "days",
        days.to_string(),
        crate::limits::runs(jobs.len(), per_run),
    )?;
    map(jobs, threads, progress, |&(model, policy)| {
        let run = match policy {
            Some((plans, policy)) => crate::run::with_policy(model, plans, policy, days),
            None => model.run(days),
        }?;
        impacts::outcome(model.calibration(), run)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: Error) -> String {
        e.field_errors()[0].field.clone()
    }

    #[test]
    fn results_come_in_item_order_whatever_the_threads() {
        let items: Vec<u64> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            let progress = Progress::new();
            let out = map(&items, threads, &progress, |&x| Ok(x * x)).unwrap();
            assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>());
            assert_eq!(progress.done(), 1000);
        }
    }

    #[test]
    fn the_first_failing_item_in_order_is_reported() {
        for threads in [1, 2, 4] {
            let e = map_with(
                500,
                threads,
                &Progress::new(),
                || (),
                |_, k| {
                    if k % 97 == 13 {
                        Err(Error::field(
                            format!("item {k}"),
                            "fails".into(),
                            String::new(),
                        ))
                    } else {
                        Ok(k)
                    }
                },
            )
            .unwrap_err();
            assert_eq!(field(e), "item 13");
        }
    }

    #[test]
    fn scratch_lives_across_items_and_cancel_stops() {
        // Each worker counts the items it ran in its scratch; fewer scratch values than items.
        let inits = AtomicUsize::new(0);
        let out = map_with(
            400,
            2,
            &Progress::new(),
            || {
                inits.fetch_add(1, Ordering::Relaxed);
            },
            |_, k| Ok(k),
        )
        .unwrap();
        assert_eq!(out.len(), 400);
        assert!(inits.load(Ordering::Relaxed) < 400);
        let progress = Progress::new();
        progress.cancel();
        let e = map(&[1, 2, 3], 2, &progress, |&x| Ok(x)).unwrap_err();
        assert_eq!(field(e), "batch");
        assert_eq!(progress.done(), 0);
        assert!(thread_count(Some(0)).is_err());
        assert_eq!(thread_count(Some(2)).unwrap(), 2);
    }
}
