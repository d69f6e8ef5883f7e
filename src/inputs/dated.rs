//! Entries that take effect from a date on (ICU care by date, transmission factors, timelines):
//! which one is in force on a date, and the check that their dates ascend.

use chrono::NaiveDate;

use crate::inputs::validate::Checker;

/// Index of the entry in force on `date`: the last whose date (`from`) is on or before it (`None`
/// before the first). The entries must be in date order.
pub fn in_force<T>(
    entries: &[T],
    date: NaiveDate,
    from: impl Fn(&T) -> NaiveDate,
) -> Option<usize> {
    entries.partition_point(|e| from(e) <= date).checked_sub(1)
}

/// Every date of `dates` must come after the one before it; a failure names `{field}[i].from`.
pub fn check_ascending(
    c: &mut Checker,
    field: impl std::fmt::Display,
    dates: impl Iterator<Item = NaiveDate>,
) {
    let mut before: Option<NaiveDate> = None;
    for (i, date) in dates.enumerate() {
        if let Some(previous) = before.filter(|&p| date <= p) {
            c.fail(
                format_args!("{field}[{i}].from"),
                format!("must be after {field}[{}].from ({previous})", i - 1),
                date.to_string(),
            );
        }
        before = Some(date);
    }
}
