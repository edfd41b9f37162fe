//! `Retry-After`: the HTTP header (RFC 9110 §10.2.3) and the `retry-after` parameter of DPS response topics.

use core::fmt;

/// The largest delta-seconds value kept: RFC 9111 §1.2.2 tells a recipient that cannot represent a larger
/// delta-seconds to use 2^31 instead. The classifier's own bounds are far lower (see
/// [`Policy::retry_after_max`](crate::retry::Policy::retry_after_max)).
pub const DELTA_SECONDS_CAP: u64 = 1 << 31;

/// A parsed `Retry-After` value.
///
/// RFC 9110 §10.2.3: `Retry-After = HTTP-date / delay-seconds`, `delay-seconds = 1*DIGIT`. DPS also puts the
/// value in the `retry-after` query parameter of its MQTT response topics (`$dps/registrations/res/202/?$rid=1&
/// retry-after=3`), in seconds; [`dps_topic_retry_after`] extracts it.
///
/// ```
/// use azure_iot_codes::retry::{RetryAfter, RetryAfterError};
/// assert_eq!(RetryAfter::parse("120"), Ok(RetryAfter::Seconds(120)));
/// let date = RetryAfter::parse("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
/// assert_eq!(date.wait_seconds(Some(784_111_700)), Ok(77)); // 77 s after "now"
/// assert_eq!(RetryAfter::parse("-5"), Err(RetryAfterError::Negative));
/// assert_eq!(RetryAfter::parse("soon"), Err(RetryAfterError::Malformed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryAfter {
    /// `delay-seconds`; values beyond 2^31 are kept as [`DELTA_SECONDS_CAP`].
    Seconds(u64),
    /// An `HTTP-date`.
    Date(HttpDate),
}

/// Why a `Retry-After` value was not used. The classifier records it in the decision and carries on without it;
/// a bad header never stops the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryAfterError {
    /// Empty or only whitespace.
    Empty,
    /// A negative number; RFC 9110 allows only non-negative delay-seconds.
    Negative,
    /// A number with a fraction, sign or other characters; delay-seconds is digits only.
    NotInteger,
    /// Neither delay-seconds nor any of the three HTTP-date forms.
    Malformed,
    /// Shaped like an HTTP-date but not a real date or time (31 Feb, 25:00, unknown month).
    InvalidDate,
    /// An HTTP-date, but no current time was given to turn it into a delay.
    NeedsClock,
}

impl RetryAfterError {
    /// A stable identifier: `empty`, `negative`, `not-integer`, `malformed`, `invalid-date`, `needs-clock`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RetryAfterError::Empty => "empty",
            RetryAfterError::Negative => "negative",
            RetryAfterError::NotInteger => "not-integer",
            RetryAfterError::Malformed => "malformed",
            RetryAfterError::InvalidDate => "invalid-date",
            RetryAfterError::NeedsClock => "needs-clock",
        }
    }

    /// What was wrong, in words.
    pub const fn message(self) -> &'static str {
        match self {
            RetryAfterError::Empty => "the value is empty",
            RetryAfterError::Negative => "a negative number of seconds",
            RetryAfterError::NotInteger => "not a whole number of seconds",
            RetryAfterError::Malformed => "neither seconds nor an HTTP-date",
            RetryAfterError::InvalidDate => "an HTTP-date that is not a real date or time",
            RetryAfterError::NeedsClock => "an HTTP-date, but the current time is unknown",
        }
    }
}

impl fmt::Display for RetryAfterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// Which of the three forms RFC 9110 §5.6.7 requires recipients to accept an [`HttpDate`] was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateForm {
    /// `Sun, 06 Nov 1994 08:49:37 GMT` (the one senders must generate).
    ImfFixdate,
    /// `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete RFC 850 form, two-digit year).
    Rfc850,
    /// `Sun Nov  6 08:49:37 1994` (obsolete ANSI C `asctime()` form).
    Asctime,
}

/// An HTTP-date as written (always UTC). A two-digit RFC 850 year is resolved against the current time when the
/// date is turned into seconds ([`HttpDate::unix_seconds`]), as RFC 9110 §5.6.7 requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HttpDate {
    /// The year: four digits, or the two digits of an RFC 850 date.
    pub year: u16,
    /// 1-12.
    pub month: u8,
    /// 1-31, valid for the month.
    pub day: u8,
    /// 0-23.
    pub hour: u8,
    /// 0-59.
    pub minute: u8,
    /// 0-60 (60 is a leap second).
    pub second: u8,
    /// The form it was written in.
    pub form: DateForm,
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl RetryAfter {
    /// Parses a `Retry-After` field value: delay-seconds or any of the three HTTP-date forms. Surrounding
    /// whitespace is ignored (RFC 9110 §5.5); everything else follows the grammar exactly (HTTP-date is case
    /// sensitive). Never panics, allocation-free.
    ///
    /// ```
    /// use azure_iot_codes::retry::{DateForm, RetryAfter, RetryAfterError};
    /// assert_eq!(RetryAfter::parse(" 7 "), Ok(RetryAfter::Seconds(7)));
    /// assert_eq!(RetryAfter::parse("99999999999999999999999"), Ok(RetryAfter::Seconds(1 << 31)));
    /// let RetryAfter::Date(d) = RetryAfter::parse("Sunday, 06-Nov-94 08:49:37 GMT").unwrap() else { panic!() };
    /// assert_eq!((d.year, d.form), (94, DateForm::Rfc850));
    /// assert!(RetryAfter::parse("Sun Nov  6 08:49:37 1994").is_ok());
    /// assert_eq!(RetryAfter::parse("1.5"), Err(RetryAfterError::NotInteger));
    /// assert_eq!(RetryAfter::parse("Sun, 31 Feb 1994 08:49:37 GMT"), Err(RetryAfterError::InvalidDate));
    /// ```
    pub fn parse(value: &str) -> Result<RetryAfter, RetryAfterError> {
        let v = value.trim_matches([' ', '\t', '\r', '\n']);
        if v.is_empty() {
            return Err(RetryAfterError::Empty);
        }
        let b = v.as_bytes();
        if b.iter().all(u8::is_ascii_digit) {
            let secs = b.iter().try_fold(0u64, |acc, d| {
                acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            });
            return Ok(RetryAfter::Seconds(
                secs.map_or(DELTA_SECONDS_CAP, |s| s.min(DELTA_SECONDS_CAP)),
            ));
        }
        if b[0] == b'-' && b.len() > 1 && b[1..].iter().all(|c| c.is_ascii_digit() || *c == b'.') {
            return Err(RetryAfterError::Negative);
        }
        if b.iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'+' | b'-' | b'e' | b'E' | b','))
            && b.iter().any(u8::is_ascii_digit)
        {
            return Err(RetryAfterError::NotInteger);
        }
        parse_http_date(v).map(RetryAfter::Date)
    }

    /// How many seconds to wait from `now_unix` (seconds since 1970-01-01 UTC). A date in the past gives 0 (RFC
    /// 9110: retry now). A date needs `now_unix`; without it the answer is [`RetryAfterError::NeedsClock`].
    ///
    /// ```
    /// use azure_iot_codes::retry::{RetryAfter, RetryAfterError};
    /// assert_eq!(RetryAfter::Seconds(5).wait_seconds(None), Ok(5));
    /// let past = RetryAfter::parse("Thu, 01 Jan 1970 00:00:00 GMT").unwrap();
    /// assert_eq!(past.wait_seconds(Some(1_700_000_000)), Ok(0));
    /// assert_eq!(past.wait_seconds(None), Err(RetryAfterError::NeedsClock));
    /// ```
    pub fn wait_seconds(self, now_unix: Option<u64>) -> Result<u64, RetryAfterError> {
        match self {
            RetryAfter::Seconds(s) => Ok(s),
            RetryAfter::Date(d) => {
                let now = now_unix.ok_or(RetryAfterError::NeedsClock)?;
                let at = d.unix_seconds(now);
                let now = i64::try_from(now).unwrap_or(i64::MAX);
                Ok(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
            }
        }
    }
}

impl HttpDate {
    /// Seconds since 1970-01-01 00:00:00 UTC (negative before; saturating at the ends of `i64`). `now_unix`
    /// resolves a two-digit RFC 850 year: RFC 9110 §5.6.7 says to read a date that appears to be more than 50
    /// years in the future as the most recent past year with the same last two digits. Ignored for four-digit
    /// years.
    ///
    /// ```
    /// use azure_iot_codes::retry::RetryAfter;
    /// let RetryAfter::Date(d) = RetryAfter::parse("Sunday, 06-Nov-94 08:49:37 GMT").unwrap() else { panic!() };
    /// assert_eq!(d.unix_seconds(1_700_000_000), 784_111_777); // 1994, not 2094
    /// ```
    pub fn unix_seconds(&self, now_unix: u64) -> i64 {
        let year = match self.form {
            DateForm::Rfc850 => resolve_two_digit_year(self.year, now_unix),
            DateForm::ImfFixdate | DateForm::Asctime => i64::from(self.year),
        };
        let days = days_from_civil(year, self.month, self.day);
        // Saturating: a "now" hundreds of billions of years ahead resolves a two-digit year past i64 seconds.
        days.saturating_mul(86_400).saturating_add(
            i64::from(self.hour) * 3_600 + i64::from(self.minute) * 60 + i64::from(self.second),
        )
    }
}

/// The latest year ending in `yy` that is not more than 50 years after the current year.
fn resolve_two_digit_year(yy: u16, now_unix: u64) -> i64 {
    let now_days = i64::try_from(now_unix / 86_400).unwrap_or(i64::MAX / 2);
    let now_year = civil_year_from_days(now_days);
    let candidate = now_year.div_euclid(100) * 100 + i64::from(yy % 100);
    if candidate > now_year + 50 {
        candidate - 100
    } else if candidate + 100 <= now_year + 50 {
        candidate + 100
    } else {
        candidate
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil` algorithm).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The Gregorian year of a day count since 1970-01-01 (inverse of [`days_from_civil`], year only).
fn civil_year_from_days(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let year = yoe + era * 400;
    if mp >= 10 { year + 1 } else { year }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// A cursor over the bytes of a date.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn literal(&mut self, lit: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(lit.as_bytes())?;
        Some(())
    }

    fn one_of(&mut self, names: &[&str]) -> Option<usize> {
        let i = names
            .iter()
            .position(|n| self.rest.starts_with(n.as_bytes()))?;
        self.rest = &self.rest[names[i].len()..];
        Some(i)
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u16> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        if !head.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.rest = tail;
        Some(
            head.iter()
                .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0')),
        )
    }

    fn time_of_day(&mut self) -> Option<(u16, u16, u16)> {
        let h = self.digits(2)?;
        self.literal(":")?;
        let m = self.digits(2)?;
        self.literal(":")?;
        let s = self.digits(2)?;
        Some((h, m, s))
    }

    fn end(&self) -> Option<()> {
        self.rest.is_empty().then_some(())
    }
}

struct Fields {
    year: u16,
    month: usize,
    day: u16,
    time: (u16, u16, u16),
    form: DateForm,
}

fn parse_http_date(v: &str) -> Result<HttpDate, RetryAfterError> {
    let f = imf_fixdate(v)
        .or_else(|| rfc850_date(v))
        .or_else(|| asctime_date(v))
        .ok_or(RetryAfterError::Malformed)?;
    let (hour, minute, second) = f.time;
    let month = u8::try_from(f.month + 1).map_err(|_| RetryAfterError::InvalidDate)?;
    // A two-digit year cannot be checked for 29 Feb before it is resolved; any year ending in those digits
    // that is a leap year could be meant, so allow 29 Feb when the two digits are a multiple of 4.
    let leap_probe = match f.form {
        DateForm::Rfc850 => 2000 + i64::from(f.year),
        DateForm::ImfFixdate | DateForm::Asctime => i64::from(f.year),
    };
    let day_ok = f.day >= 1 && f.day <= u16::from(days_in_month(leap_probe, month));
    if !day_ok || hour > 23 || minute > 59 || second > 60 {
        return Err(RetryAfterError::InvalidDate);
    }
    Ok(HttpDate {
        year: f.year,
        month,
        day: f.day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        form: f.form,
    })
}

/// `IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT`, `date1 = day SP month SP year`.
fn imf_fixdate(v: &str) -> Option<Fields> {
    let mut c = Cursor { rest: v.as_bytes() };
    c.one_of(&DAY_NAMES)?;
    c.literal(", ")?;
    let day = c.digits(2)?;
    c.literal(" ")?;
    let month = c.one_of(&MONTHS)?;
    c.literal(" ")?;
    let year = c.digits(4)?;
    c.literal(" ")?;
    let time = c.time_of_day()?;
    c.literal(" GMT")?;
    c.end()?;
    Some(Fields {
        year,
        month,
        day,
        time,
        form: DateForm::ImfFixdate,
    })
}

/// `rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT`, `date2 = day "-" month "-" 2DIGIT`.
fn rfc850_date(v: &str) -> Option<Fields> {
    let mut c = Cursor { rest: v.as_bytes() };
    c.one_of(&LONG_DAY_NAMES)?;
    c.literal(", ")?;
    let day = c.digits(2)?;
    c.literal("-")?;
    let month = c.one_of(&MONTHS)?;
    c.literal("-")?;
    let year = c.digits(2)?;
    c.literal(" ")?;
    let time = c.time_of_day()?;
    c.literal(" GMT")?;
    c.end()?;
    Some(Fields {
        year,
        month,
        day,
        time,
        form: DateForm::Rfc850,
    })
}

/// `asctime-date = day-name SP date3 SP time-of-day SP year`, `date3 = month SP ( 2DIGIT / ( SP DIGIT ) )`.
fn asctime_date(v: &str) -> Option<Fields> {
    let mut c = Cursor { rest: v.as_bytes() };
    c.one_of(&DAY_NAMES)?;
    c.literal(" ")?;
    let month = c.one_of(&MONTHS)?;
    c.literal(" ")?;
    let day = if c.literal(" ").is_some() {
        c.digits(1)?
    } else {
        c.digits(2)?
    };
    c.literal(" ")?;
    let time = c.time_of_day()?;
    c.literal(" ")?;
    let year = c.digits(4)?;
    c.end()?;
    Some(Fields {
        year,
        month,
        day,
        time,
        form: DateForm::Asctime,
    })
}

/// The raw value of the `retry-after` parameter of a DPS response topic, if it has one.
///
/// DPS answers on `$dps/registrations/res/{status}/?$rid={rid}[&retry-after={seconds}]`; the Embedded C, C, C#,
/// Node and Python clients all read the parameter from there. Accepts the whole topic or just its query string.
/// The value is returned unparsed so that [`Context::retry_after`](crate::retry::Context::retry_after) can
/// record why it was not used, if it is not a number.
///
/// ```
/// use azure_iot_codes::retry::dps_topic_retry_after;
/// assert_eq!(dps_topic_retry_after("$dps/registrations/res/202/?$rid=7&retry-after=3"), Some("3"));
/// assert_eq!(dps_topic_retry_after("$dps/registrations/res/200/?$rid=8"), None);
/// assert_eq!(dps_topic_retry_after("$rid=1&retry-after=x"), Some("x"));
/// ```
pub fn dps_topic_retry_after(topic: &str) -> Option<&str> {
    let query = match topic.split_once('?') {
        Some((_, q)) => q,
        None => topic,
    };
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("retry-after="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_over_a_wide_range() {
        for (y, m, d, expect) in [
            (1970, 1, 1, 0),
            (1969, 12, 31, -1),
            (2000, 3, 1, 11_017),
            (1994, 11, 6, 9_075),
            (2038, 1, 19, 24_855),
            (0, 1, 1, -719_528),
            (9999, 12, 31, 2_932_896),
        ] {
            assert_eq!(days_from_civil(y, m, d), expect, "{y}-{m}-{d}");
            assert_eq!(civil_year_from_days(expect), y, "{y}-{m}-{d}");
        }
        for days in (-800_000..3_000_000).step_by(997) {
            let y = civil_year_from_days(days);
            assert!(days_from_civil(y, 1, 1) <= days && days < days_from_civil(y + 1, 1, 1));
        }
    }

    #[test]
    fn far_clocks_saturate_instead_of_overflowing() {
        let RetryAfter::Date(d) = RetryAfter::parse("Sunday, 06-Nov-94 08:49:37 GMT").unwrap()
        else {
            panic!("not a date");
        };
        assert_eq!(d.unix_seconds(u64::MAX), i64::MAX);
        assert_eq!(RetryAfter::Date(d).wait_seconds(Some(u64::MAX)), Ok(0));
        assert_eq!(resolve_two_digit_year(99, u64::MAX) % 100, 99);
    }

    #[test]
    fn two_digit_years_follow_the_fifty_year_rule() {
        // now = 2025-06-01
        let now = 1_748_736_000;
        assert_eq!(resolve_two_digit_year(94, now), 1994);
        assert_eq!(resolve_two_digit_year(75, now), 2075); // exactly 50 years ahead: kept
        assert_eq!(resolve_two_digit_year(76, now), 1976);
        assert_eq!(resolve_two_digit_year(25, now), 2025);
        // now = 1970: 2000 is only 30 years ahead, so 00 is 2000; 21 would be 2021 (51 ahead), so 1921.
        assert_eq!(resolve_two_digit_year(0, 0), 2000);
        assert_eq!(resolve_two_digit_year(20, 0), 2020);
        assert_eq!(resolve_two_digit_year(21, 0), 1921);
    }
}
