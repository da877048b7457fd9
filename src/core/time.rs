//! The Graph's times (`2026-01-31T09:15:00+0000`) as Unix seconds, for
//! comparing `updated_time` with a sync's `updatedSince`.

use crate::prelude::*;
use crate::text::{cat, parse_u64, trim_white, Padded};

/// Unix seconds of an ISO 8601 date-time such as the Graph writes
/// (`2026-01-31T09:15:00+0000`), or as `Date.toISOString()` does
/// (`2026-01-31T09:15:00.000Z`); a bare date is midnight UTC. `None` for
/// anything else.
pub fn unix_seconds(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = bytes.get(from..from + len)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    if bytes.get(4) != Some(&b'-')
        || bytes.get(7) != Some(&b'-')
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let date = days_from_civil(year, month, day) * 86_400;
    if bytes.len() == 10 {
        return Some(date);
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) || bytes.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (digits(11, 2)?, digits(14, 2)?);
    let mut rest = 16;
    let second = if bytes.get(16) == Some(&b':') {
        rest = 19;
        digits(17, 2)?
    } else {
        0
    };
    if bytes.get(rest) == Some(&b'.') {
        rest += 1;
        while bytes.get(rest).is_some_and(u8::is_ascii_digit) {
            rest += 1;
        }
    }
    let offset = match bytes.get(rest..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), ..] => {
            let tail = text.get(rest + 1..)?;
            let (h, m) = match tail.len() {
                4 => (digits(rest + 1, 2)?, digits(rest + 3, 2)?),
                5 if tail.as_bytes()[2] == b':' => (digits(rest + 1, 2)?, digits(rest + 4, 2)?),
                2 => (digits(rest + 1, 2)?, 0),
                _ => return None,
            };
            let minutes = h * 60 + m;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(date + hour * 3600 + minute * 60 + second - offset * 60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A Graph time (`2026-01-31T09:15:00+0000`) of Unix seconds.
pub fn graph_time(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    cat!(
        if year < 0 { "-" } else { "" },
        Padded(year.unsigned_abs(), 4),
        "-",
        Padded(month.unsigned_abs(), 2),
        "-",
        Padded(day.unsigned_abs(), 2),
        "T",
        Padded((rest / 3600).unsigned_abs(), 2),
        ":",
        Padded((rest % 3600 / 60).unsigned_abs(), 2),
        ":",
        Padded((rest % 60).unsigned_abs(), 2),
        "+0000"
    )
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Milliseconds since the epoch of a webhook's time: a number in
/// milliseconds (Meta's form) or seconds (some payloads), either as a
/// number or a numeric string, or an ISO 8601 string.
pub fn epoch_ms(number: Option<f64>, text: Option<&str>) -> Option<f64> {
    // Whole numbers only as text: parsing decimals would link the float
    // parser into the wasm for a form no payload uses.
    let n = number.or_else(|| text.and_then(|t| parse_u64(trim_white(t))).map(|n| n as f64));
    if let Some(n) = n.filter(|n| n.is_finite() && *n >= 0.0) {
        // Below 10^11 it cannot be milliseconds of this century.
        return Some(if n < 1e11 { (n * 1000.0).floor() } else { n.floor() });
    }
    text.and_then(unix_seconds).map(|s| s as f64 * 1000.0)
}
