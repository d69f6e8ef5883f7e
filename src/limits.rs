//! Limits every batch is held to: the memory it will hold, estimated from its sizes before it
//! allocates (one function per batch kind), refused above [`MAX_BATCH_BYTES`] with a
//! `ValidationError` that says how much it would need; and the time it may go on once asked to
//! stop, bounded by a cancellation flag the day loop of every run polls.
//!
//! The flag is set per thread ([`watching`]) by whoever runs the work (the grid for each item of
//! a batch, the bindings for a single run), so no signature between the caller and the day loop
//! carries it.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

thread_local! {
    /// The cancellation flag of the work running on this thread, if any.
    static CANCEL: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Runs `work` on this thread with `flag` as its cancellation flag (restoring the previous one).
pub fn watching<T>(flag: &Arc<AtomicBool>, work: impl FnOnce() -> T) -> T {
    let previous = CANCEL.with(|c| c.replace(Some(flag.clone())));
    // Restored even when `work` panics, so a caught panic leaves no stale flag behind.
    struct Restore(Option<Arc<AtomicBool>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CANCEL.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(previous);
    work()
}

/// `Err` (the [`cancelled`] error) when the work on this thread was asked to stop.
pub fn check_cancelled() -> Result<()> {
    let stop = CANCEL.with(|c| {
        c.borrow()
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
    });
    if stop {
        Err(cancelled())
    } else {
        Ok(())
    }
}

/// The error of cancelled work.
pub fn cancelled() -> Error {
    Error::field("batch".into(), "cancelled".into(), String::new())
}

/// Most memory one batch may hold: 8 GiB (an explicit cap, not a share of the machine's memory,
/// so that the same input is accepted or refused everywhere; a larger batch is run in parts,
/// e.g. `Sweep.run(start, stop)` over ranges of draws).
pub const MAX_BATCH_BYTES: u64 = 8 << 30;

/// Bytes of `count` numbers of 8 bytes, saturating (never overflows on absurd sizes).
fn numbers(factors: &[usize]) -> u64 {
    factors
        .iter()
        .fold(8u64, |acc, &n| acc.saturating_mul(n as u64))
}

/// A sweep over `runs` runs (policies x scenarios x draws) of which each keeps `per_run` numbers
/// (indicators, and daily series in trajectory mode), with `draws x parameters` drawn values:
/// each run's numbers are held twice (per run, then in the output).
pub fn sweep(runs: usize, per_run: usize, draws: usize, parameters: usize) -> u64 {
    numbers(&[2, runs, per_run]).saturating_add(numbers(&[draws, parameters]))
}

/// A batch of `runs` whole runs (the assessment's cells), each holding `per_run` numbers (its
/// states, `(days + 1) x groups x slots`, dominate).
pub fn runs(runs: usize, per_run: usize) -> u64 {
    numbers(&[runs, per_run])
}

/// `draws x parameters` sampled values: held per draw, then as one array (twice).
pub fn sample(draws: usize, parameters: usize) -> u64 {
    numbers(&[2, draws, parameters])
}

/// Weight sensitivity of `alternatives x criteria`: counts of ranks and central weights, whatever
/// the number of samples (they are drawn one at a time).
pub fn weight_sensitivity(alternatives: usize, criteria: usize) -> u64 {
    numbers(&[
        alternatives,
        alternatives.saturating_add(criteria).saturating_add(2),
    ])
}

/// Refuses a batch that would hold more than [`MAX_BATCH_BYTES`], naming `field` and its value.
pub fn check(field: &str, value: String, bytes: u64) -> Result<()> {
    if bytes <= MAX_BATCH_BYTES {
        return Ok(());
    }
    Err(Error::field(
        field.into(),
        format!(
            "would need {} of memory (about {:.1} GiB; at most {} GiB per batch): run it in parts",
            format_bytes(bytes),
            bytes as f64 / (1u64 << 30) as f64,
            MAX_BATCH_BYTES >> 30
        ),
        value,
    ))
}

fn format_bytes(bytes: u64) -> String {
    if bytes == u64::MAX {
        "more than 16 EiB".into()
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_saturate_and_the_message_names_the_bytes() {
        assert_eq!(sample(10, 3), 480);
        assert_eq!(sweep(usize::MAX, 2, 1, 1), u64::MAX);
        let e = check("draws", "1099511627776".into(), sample(1 << 40, 20)).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("draws: would need 351843720888320 bytes"),
            "{text}"
        );
        assert!(check("draws", "1".into(), MAX_BATCH_BYTES).is_ok());
    }

    #[test]
    fn the_flag_holds_for_the_work_it_watches() {
        let flag = Arc::new(AtomicBool::new(false));
        assert!(check_cancelled().is_ok());
        watching(&flag, || {
            assert!(check_cancelled().is_ok());
            flag.store(true, Ordering::Relaxed);
            assert!(check_cancelled().is_err());
        });
        assert!(check_cancelled().is_ok());
    }
}
