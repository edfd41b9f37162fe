//! "Did you mean": how far a name a device sent is from a capability of its device template.
//!
//! The distance is the optimal-string-alignment edit distance (insertions, deletions, substitutions and swaps
//! of two neighbouring characters, each costing one), computed with ASCII case ignored, so `Temperature` is
//! at distance 0 from `temperature` (a case-only difference) and `temprature` at distance 1. It is written
//! here rather than taken from a crate because it is twenty lines, needs no allocation (three rows on the
//! stack) and must be bounded: names longer than [`MAX_COMPARED_LEN`] characters are not compared, and the
//! computation stops as soon as the distance exceeds the limit asked for.

/// Longest name, in characters, that [`edit_distance`] compares.
pub const MAX_COMPARED_LEN: usize = 64;

/// The edit distance between `a` and `b` ignoring ASCII case, if it is at most `max`.
///
/// `None` when the distance is larger than `max` or either name is longer than [`MAX_COMPARED_LEN`]
/// characters.
///
/// ```
/// use azure_iot_codes::central::edit_distance;
/// assert_eq!(edit_distance("Temperature", "temperature", 2), Some(0));
/// assert_eq!(edit_distance("temprature", "temperature", 2), Some(1));
/// assert_eq!(edit_distance("tempreature", "temperature", 2), Some(1)); // a swap
/// assert_eq!(edit_distance("humidity", "temperature", 2), None);
/// ```
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let mut ab = ['\0'; MAX_COMPARED_LEN];
    let mut bb = ['\0'; MAX_COMPARED_LEN];
    let la = fill(&mut ab, a)?;
    let lb = fill(&mut bb, b)?;
    let (a, b) = (&ab[..la], &bb[..lb]);
    if la.abs_diff(lb) > max {
        return None;
    }
    // Rows i-2, i-1 and i of the dynamic-programming table (columns 0..=lb).
    let mut prev2 = [0usize; MAX_COMPARED_LEN + 1];
    let mut prev = [0usize; MAX_COMPARED_LEN + 1];
    let mut cur = [0usize; MAX_COMPARED_LEN + 1];
    for (j, slot) in prev.iter_mut().enumerate().take(lb + 1) {
        *slot = j;
    }
    for i in 1..=la {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=lb {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        prev2 = prev;
        prev = cur;
    }
    let d = prev[lb];
    (d <= max).then_some(d)
}

/// Lowercased characters of `s` into `buf`; `None` if it does not fit.
fn fill(buf: &mut [char; MAX_COMPARED_LEN], s: &str) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        *buf.get_mut(n)? = c.to_ascii_lowercase();
        n += 1;
    }
    Some(n)
}

/// The largest distance at which a template capability is offered as "did you mean" for a name of `len`
/// characters: case only (0) up to 3 characters, 1 up to 6, else 2. Short names differ in one character from
/// too many unrelated names for a guess to help.
///
/// ```
/// use azure_iot_codes::central::suggestion_limit;
/// assert_eq!(suggestion_limit(3), 0);
/// assert_eq!(suggestion_limit(5), 1);
/// assert_eq!(suggestion_limit(11), 2);
/// ```
pub const fn suggestion_limit(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    extern crate alloc;
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;

    /// The textbook full-matrix distance (optimal string alignment), for comparison.
    fn reference(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
        let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                }
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn agrees_with_the_full_matrix() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "temperature",
            "Temperature",
            "temprature",
            "tempreature",
            "targetTemperature",
            "osVersion",
            "osName",
            "swVersion",
            "humid",
            "humidity",
            "é",
            "Été",
        ];
        for a in words {
            for b in words {
                let r = reference(a, b);
                for max in 0..4 {
                    let expected = (r <= max).then_some(r);
                    assert_eq!(edit_distance(a, b, max), expected, "{a:?} {b:?} {max}");
                }
            }
        }
    }

    #[test]
    fn long_names_are_not_compared() {
        let long = "x".repeat(MAX_COMPARED_LEN + 1);
        assert_eq!(edit_distance(&long, &long, 2), None);
        let edge = "x".repeat(MAX_COMPARED_LEN);
        assert_eq!(edit_distance(&edge, &edge, 0), Some(0));
    }
}
