//! The Retry-After readers on the same text: the header value (`RetryAfter::parse`: delay-seconds or one of the
//! three HTTP-date forms), the HTTP-date arithmetic (`HttpDate::unix_seconds`, `RetryAfter::wait_seconds` for
//! several clocks), and the DPS topic parameter (`dps_topic_retry_after`).
#![no_main]

use azure_iot_codes::retry::{
    Context, DELTA_SECONDS_CAP, DateForm, HttpDate, RetryAfter, RetryAfterError,
    dps_topic_retry_after,
};
use libfuzzer_sys::fuzz_target;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Clocks the wait is computed against: the epoch, a present-day time, the ends of the ranges.
const NOWS: [u64; 5] = [0, 1_700_000_000, 253_402_300_799, i64::MAX as u64, u64::MAX];

/// Days from 1970-01-01 counted year by year and month by month: slow, obviously right.
fn days_by_counting(year: i64, month: u8, day: u8) -> i64 {
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let year_days = |y: i64| if leap(y) { 366 } else { 365 };
    let mut days = 0i64;
    if year >= 1970 {
        for y in 1970..year {
            days += year_days(y);
        }
    } else {
        for y in year..1970 {
            days -= year_days(y);
        }
    }
    let month_days = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += month_days[..usize::from(month - 1)].iter().sum::<i64>();
    days + i64::from(day) - 1
}

fn check_date(d: &HttpDate, value: &str) {
    assert!((1..=12).contains(&d.month), "{d:?}");
    assert!(
        d.day >= 1 && d.day <= 31 && d.hour <= 23 && d.minute <= 59 && d.second <= 60,
        "{d:?}"
    );
    let month = MONTHS[usize::from(d.month - 1)];
    assert!(value.contains(month), "{value:?} parsed as month {month}");
    if d.form != DateForm::Rfc850 {
        // A four-digit year does not depend on the clock, and matches a plain count of days.
        let at = d.unix_seconds(0);
        assert_eq!(at, d.unix_seconds(u64::MAX));
        let secs = i64::from(d.hour) * 3600 + i64::from(d.minute) * 60 + i64::from(d.second);
        assert_eq!(
            at,
            days_by_counting(i64::from(d.year), d.month, d.day) * 86_400 + secs,
            "{d:?}"
        );
    } else {
        assert!(d.year < 100, "{d:?}");
    }
    for now in NOWS {
        // Never panics; a two-digit year resolves to at most 50 years after the clock's year.
        let at = d.unix_seconds(now);
        if d.form == DateForm::Rfc850 && now < 1 << 40 {
            let fifty_one_years = 51 * 366 * 86_400;
            assert!(at <= now as i64 + fifty_one_years, "{d:?} at {now}: {at}");
            assert!(
                at > now as i64 - 2 * fifty_one_years,
                "{d:?} at {now}: {at}"
            );
        }
        let wait = RetryAfter::Date(*d)
            .wait_seconds(Some(now))
            .expect("a date with a clock waits");
        let ahead = at.saturating_sub(i64::try_from(now).unwrap_or(i64::MAX));
        assert_eq!(wait, u64::try_from(ahead).unwrap_or(0));
    }
    assert_eq!(
        RetryAfter::Date(*d).wait_seconds(None),
        Err(RetryAfterError::NeedsClock)
    );
}

fn check_header(value: &str) {
    let trimmed = value.trim_matches([' ', '\t', '\r', '\n']);
    match RetryAfter::parse(value) {
        Ok(RetryAfter::Seconds(s)) => {
            assert!(s <= DELTA_SECONDS_CAP);
            assert!(
                !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()),
                "{value:?}"
            );
            let digits = trimmed.trim_start_matches('0');
            if digits.len() <= 9 {
                assert_eq!(s, digits.parse::<u64>().unwrap_or(0), "{value:?}");
            }
            assert_eq!(RetryAfter::Seconds(s).wait_seconds(None), Ok(s));
        }
        Ok(RetryAfter::Date(d)) => check_date(&d, trimmed),
        Err(RetryAfterError::Empty) => assert!(trimmed.is_empty(), "{value:?}"),
        Err(e) => {
            assert!(!trimmed.is_empty(), "{value:?}: {e:?}");
            assert!(!e.as_str().is_empty() && !e.message().is_empty());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;
    check_header(s);
    // The DPS topic parameter: the value of a `retry-after=` pair of the query, taken verbatim.
    let found = dps_topic_retry_after(s);
    if let Some(v) = found {
        assert!(!v.contains('&'), "{s:?} -> {v:?}");
        let pair = format!("retry-after={v}");
        assert!(s.contains(&pair), "{s:?} -> {v:?}");
        check_header(v);
    } else {
        let query = s.split_once('?').map_or(s, |(_, q)| q);
        assert!(
            !query.split('&').any(|p| p.starts_with("retry-after=")),
            "{s:?}"
        );
    }
    assert_eq!(
        Context::new().retry_after_from_dps_topic(s).retry_after,
        found
    );
});
