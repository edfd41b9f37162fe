//! Bounded JSON: the nesting limit is checked by a linear scan before serde_json builds anything, and
//! serde_json's errors become typed [`Error`]s with a position.

use alloc::string::{String, ToString};

use serde_json::{Map, Value};

use super::Limits;
use crate::error::{Detail, Error, ErrorKind};

pub(crate) const JSON_EXPECTED: &str = "a complete JSON object";

/// The 1-based line and byte column of byte offset `at` in `text`.
pub(crate) fn line_column(text: &str, at: usize) -> (u32, u32) {
    let before = &text.as_bytes()[..at.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = before.len() - line_start + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Scans `text` once, counting `{`/`[` outside strings, and fails at the first bracket deeper than `limit`.
pub(crate) fn check_depth(text: &str, limit: usize) -> Result<(), Error> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    let (line, column) = line_column(text, i);
                    return Err(Error::new(
                        ErrorKind::TooDeep,
                        text,
                        "JSON nested no deeper than the limit",
                    )
                    .with_detail(Detail::Depth {
                        limit,
                        line,
                        column,
                    }));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses `text` as one JSON value after checking its size and nesting. `depth_used` is the nesting of the
/// string `text` came from (JSON inside a JSON string), so the limit holds for the whole payload.
pub(crate) fn parse(text: &str, limits: &Limits, depth_used: usize) -> Result<Value, Error> {
    if text.len() > limits.max_bytes {
        return Err(
            Error::new(ErrorKind::TooLarge, text, "a payload within the size limit").with_detail(
                Detail::Size {
                    limit: limits.max_bytes,
                    found: text.len(),
                },
            ),
        );
    }
    check_depth(text, limits.depth().saturating_sub(depth_used))?;
    serde_json::from_str(text).map_err(|e| {
        let kind = match e.classify() {
            serde_json::error::Category::Eof => ErrorKind::Truncated,
            _ => ErrorKind::InvalidJson,
        };
        let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
        let column = u32::try_from(e.column()).unwrap_or(u32::MAX);
        Error::new(kind, text, JSON_EXPECTED).with_detail(Detail::At { line, column })
    })
}

/// Field access that names the field in its errors.
pub(crate) struct Fields<'v> {
    pub(crate) obj: &'v Map<String, Value>,
    /// The whole input, for error snippets.
    pub(crate) input: &'v str,
}

impl<'v> Fields<'v> {
    pub(crate) fn new(obj: &'v Map<String, Value>, input: &'v str) -> Fields<'v> {
        Fields { obj, input }
    }

    pub(crate) fn sub(&self, obj: &'v Map<String, Value>) -> Fields<'v> {
        Fields {
            obj,
            input: self.input,
        }
    }

    pub(crate) fn wrong(&self, path: &'static str, expected: &'static str) -> Error {
        Error::new(ErrorKind::InvalidField, self.input, expected).with_detail(Detail::Field(path))
    }

    /// The value under `key`, `null` counting as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'v Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    /// The value under `key` compared ignoring ASCII case (log rows are PascalCase in Log Analytics and
    /// camelCase in raw resource logs).
    pub(crate) fn get_ci(&self, key: &str) -> Option<&'v Value> {
        self.get(key).or_else(|| {
            self.obj
                .iter()
                .find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_null())
                .map(|(_, v)| v)
        })
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.obj.contains_key(key)
    }

    /// A string field; numbers and booleans are written as text (log rows carry `"Level": 2` as often as
    /// `"Level": "2"`). Objects and arrays are wrong.
    pub(crate) fn text(&self, key: &str, path: &'static str) -> Result<Option<String>, Error> {
        self.get(key)
            .map(|v| scalar_text(v).ok_or_else(|| self.wrong(path, "a string")))
            .transpose()
    }

    /// [`Fields::text`] with a case-insensitive key.
    pub(crate) fn text_ci(&self, key: &str, path: &'static str) -> Result<Option<String>, Error> {
        self.get_ci(key)
            .map(|v| scalar_text(v).ok_or_else(|| self.wrong(path, "a string")))
            .transpose()
    }

    /// An object field.
    pub(crate) fn object(
        &self,
        key: &str,
        path: &'static str,
    ) -> Result<Option<&'v Map<String, Value>>, Error> {
        self.get(key)
            .map(|v| {
                v.as_object()
                    .ok_or_else(|| self.wrong(path, "a JSON object"))
            })
            .transpose()
    }

    /// An integer field (a JSON integer or a decimal string) within `min..=max`.
    pub(crate) fn integer(
        &self,
        key: &str,
        path: &'static str,
        min: i64,
        max: i64,
        expected: &'static str,
    ) -> Result<Option<i64>, Error> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let n = match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => {
                let t = s.trim();
                let digits = t.strip_prefix('-').unwrap_or(t);
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    t.parse::<i64>().ok()
                } else {
                    None
                }
            }
            _ => None,
        };
        match n {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(self.wrong(path, expected)),
        }
    }
}

/// A scalar as text: strings as they are, numbers and booleans in JSON notation.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(check_depth(r#"{"a":"[[[[[[[[[[[[","b":"\"{{{{{{"}"#, 2).is_ok());
        let e = check_depth("[[[", 2).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooDeep);
        assert_eq!(
            e.detail(),
            Detail::Depth {
                limit: 2,
                line: 1,
                column: 3
            }
        );
    }

    #[test]
    fn serde_json_limit_is_the_ceiling() {
        // Verifies JSON_DEPTH_CEILING against the serde_json in the lock file.
        let n = super::super::JSON_DEPTH_CEILING;
        let ok = format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(serde_json::from_str::<Value>(&ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(n + 1), "]".repeat(n + 1));
        assert!(serde_json::from_str::<Value>(&too_deep).is_err());
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("", 0), (1, 1));
    }
}
