//! Field-naming checks shared by every input type. A [`Checker`] collects all problems of an input
//! at once, so an analyst sees every bad field in one error rather than one per attempt.

use std::fmt::{self, Display};

use crate::error::{Error, FieldError, Result};

/// Collects [`FieldError`]s while an input is checked.
#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

/// The name of element `index` of `field`: `field[index]`, formatted only when shown. A type of
/// its own rather than `&dyn Display`, so that the rules, generic over the name, can be given to
/// [`Checker::each`] as they are (`c.each(field, values, Checker::share)`): a generic function
/// cannot take a reference of every lifetime.
#[derive(Debug, Clone, Copy)]
pub struct Element<F> {
    pub field: F,
    pub index: usize,
}

impl<F: Display> Display for Element<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.field, self.index)
    }
}

/// Shortest mean duration of a compartment stay or epidemic period (days): 0.1 d (2.4 hours).
/// The solver takes steps of at most half the shortest mean duration, so this bounds the work of
/// a day at 20 steps; no measured period of COVID-19 comes near it (the shortest, the latent
/// period, is about 3 days).
pub const MIN_PERIOD_DAYS: f64 = 0.1;

/// Longest mean duration (days): 10 years, beyond any hospital stay or disease period; larger
/// values are typing errors (a rate of zero is not expressed by an infinite stay).
pub const MAX_PERIOD_DAYS: f64 = 3650.0;

/// Formats a number the way the error messages show it.
fn show(value: f64) -> String {
    format!("{value}")
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field`. Field names are [`Display`] values (a `&str`, or
    /// `format_args!` for a composed name) and become text only here: inputs are checked for every
    /// draw of a sweep, and almost every check passes.
    pub fn fail(&mut self, field: impl Display, message: impl Into<String>, value: String) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
            value,
        });
    }

    /// `value` must be a finite number.
    pub fn finite(&mut self, field: impl Display, value: f64) -> bool {
        if value.is_finite() {
            true
        } else {
            self.fail(field, "must be a finite number", show(value));
            false
        }
    }

    /// `value > 0`.
    pub fn positive(&mut self, field: impl Display, value: f64) {
        if self.finite(&field, value) && value <= 0.0 {
            self.fail(field, "must be > 0", show(value));
        }
    }

    /// `value >= 0`.
    pub fn non_negative(&mut self, field: impl Display, value: f64) {
        if self.finite(&field, value) && value < 0.0 {
            self.fail(field, "must be >= 0", show(value));
        }
    }

    /// `lo <= value <= hi`.
    pub fn within(&mut self, field: impl Display, value: f64, lo: f64, hi: f64) {
        if self.finite(&field, value) && !(lo..=hi).contains(&value) {
            self.fail(field, format!("must be between {lo} and {hi}"), show(value));
        }
    }

    /// A mean duration in days: [`MIN_PERIOD_DAYS`] to [`MAX_PERIOD_DAYS`].
    pub fn period(&mut self, field: impl Display, value: f64) {
        self.within(field, value, MIN_PERIOD_DAYS, MAX_PERIOD_DAYS);
    }

    /// Every name once: a repeat is reported at `field[i]suffix`, naming where it came first.
    pub fn unique<'a>(
        &mut self,
        field: impl Display,
        suffix: &str,
        names: impl IntoIterator<Item = &'a str>,
    ) {
        let mut first = std::collections::BTreeMap::new();
        for (i, name) in names.into_iter().enumerate() {
            if let Some(j) = first.get(name) {
                self.fail(
                    format_args!("{field}[{i}]{suffix}"),
                    format!("is a duplicate (also [{j}])"),
                    format!("{name:?}"),
                );
            } else {
                first.insert(name, i);
            }
        }
    }

    /// A probability or share: `0 <= value <= 1`.
    pub fn share(&mut self, field: impl Display, value: f64) {
        self.within(field, value, 0.0, 1.0);
    }

    /// Applies `check` to every element, naming it `field[i]` (an [`Element`]).
    pub fn each<F: Display + Copy>(
        &mut self,
        field: F,
        values: &[f64],
        mut check: impl FnMut(&mut Self, Element<F>, f64),
    ) {
        for (index, &v) in values.iter().enumerate() {
            check(self, Element { field, index }, v);
        }
    }

    /// `values` must have `expected` elements (one per age band, say).
    pub fn length(&mut self, field: impl Display, len: usize, expected: usize, what: &str) -> bool {
        if len == expected {
            true
        } else {
            self.fail(
                field,
                format!("must have {expected} elements (one per {what})"),
                format!("{len} elements"),
            );
            false
        }
    }

    /// A table of one row per day, each of `width` elements (one per `what`, a plural such as
    /// `"regions"`): records of runs read back from JSON hold several.
    pub fn rows<T>(
        &mut self,
        field: impl Display,
        rows: &[Vec<T>],
        days: usize,
        width: usize,
        what: &str,
    ) {
        self.length(&field, rows.len(), days, "day");
        if let Some((day, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
            self.fail(
                field,
                format!("must hold {width} {what} each day"),
                format!("day {day}: {} elements", row.len()),
            );
        }
    }

    /// Ok when nothing was recorded, otherwise all recorded problems.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.errors))
        }
    }
}
