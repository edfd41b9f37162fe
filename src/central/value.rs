//! A value as the `az iot central diagnostics` commands print it: JSON (`monitor-events`) or a Python literal
//! (`monitor-properties` prints a `dict` with `print()`, the validators quote lists and dicts with `'{}'`).
//!
//! One small reader accepts both dialects: strings in single or double quotes with JSON and Python escapes,
//! `true`/`True`, `false`/`False`, `null`/`None`, numbers (kept as written), lists, tuples and dicts with
//! trailing commas. Nesting is limited to [`MAX_DEPTH`] so hostile input cannot exhaust the stack.

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::error::{Error, ErrorKind};

/// Deepest nesting of lists and dicts the reader accepts.
pub const MAX_DEPTH: usize = 64;

/// What [`parse_literal`] accepts, for error messages.
pub const LITERAL_EXPECTED: &str =
    "one JSON value or Python literal (dict, list, tuple, string, number, True/False/None)";

/// A JSON value or Python literal.
///
/// Objects keep their keys in the order written (a `Vec` of pairs, so a repeated key is kept twice, as the
/// text had it); [`Value::get`] returns the last of them, as Python's `json` (which printed the text) and the
/// payload parsers read a repeated key. Numbers keep their text, so `65.57910343679293` is printed back exactly.
///
/// ```
/// use azure_iot_codes::central::{parse_literal, Value};
/// let v = parse_literal("{'state': 'true', 'av': 7, 'ok': True}").unwrap();
/// assert_eq!(v.get("state"), Some(&Value::String("true".into())));
/// assert_eq!(v.get("av").and_then(Value::as_number), Some("7"));
/// assert_eq!(v.get("ok"), Some(&Value::Bool(true)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` / `None`.
    Null,
    /// `true` / `True`, `false` / `False`.
    Bool(bool),
    /// A number as written (`7`, `-1.5e3`, `NaN`, `inf`).
    Number(String),
    /// A string, escapes resolved.
    String(String),
    /// A list or tuple.
    Array(Vec<Value>),
    /// A dict or object, keys in the order written (non-string keys as written, e.g. `1`).
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value under `key`, for objects; the last one when the key is written more than once.
    ///
    /// ```
    /// use azure_iot_codes::central::{parse_literal, Value};
    /// let v = parse_literal("{'status': 'assigned', 'status': 'failed'}").unwrap();
    /// assert_eq!(v.get("status"), Some(&Value::String("failed".into())));
    /// ```
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(pairs) => pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, for strings.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number's text, for numbers.
    pub fn as_number(&self) -> Option<&str> {
        match self {
            Value::Number(s) => Some(s),
            _ => None,
        }
    }

    /// The pairs, for objects.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(p) => Some(p),
            _ => None,
        }
    }

    /// The items, for arrays.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// `null`, `boolean`, `number`, `string`, `array` or `object`.
    pub const fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(n),
            Value::String(s) => write_json_string(f, s),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Object(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_json_string(f, k)?;
                    write!(f, ": {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_json_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl Serialize for Value {
    /// As JSON: numbers that fit `i64`, `u64` or a finite `f64` become JSON numbers, others (`NaN`) strings.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    s.serialize_i64(i)
                } else if let Ok(u) = n.parse::<u64>() {
                    s.serialize_u64(u)
                } else {
                    match n.parse::<f64>() {
                        Ok(x) if x.is_finite() => s.serialize_f64(x),
                        _ => s.serialize_str(n),
                    }
                }
            }
            Value::String(t) => s.serialize_str(t),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Object(pairs) => {
                let mut map = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Why a literal could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LiteralError {
    /// The text ended inside the value: more text (a wrapped line) may complete it.
    Incomplete,
    /// Not a value at this byte offset.
    Invalid,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Reads one value from the whole of `text` (surrounding whitespace allowed).
///
/// ```
/// use azure_iot_codes::central::parse_literal;
/// let v = parse_literal(r#"{"temp": 65.5, "tags": ["a", 'b'], "x": None}"#).unwrap();
/// assert_eq!(v.to_string(), r#"{"temp": 65.5, "tags": ["a", "b"], "x": null}"#);
/// assert!(parse_literal("{'a': 1").is_err());
/// assert!(parse_literal("[1] 2").is_err());
/// ```
pub fn parse_literal(text: &str) -> Result<Value, Error> {
    let malformed = || Error::new(ErrorKind::Malformed, text, LITERAL_EXPECTED);
    match parse_prefix(text) {
        Ok((v, used)) if text[used..].trim().is_empty() => Ok(v),
        Ok(_) | Err(LiteralError::Invalid) | Err(LiteralError::Incomplete) => Err(malformed()),
        Err(LiteralError::TooDeep) => Err(Error::new(ErrorKind::TooLarge, text, LITERAL_EXPECTED)),
    }
}

/// Reads one value at the start of `text` (after whitespace); returns it and the bytes consumed.
pub(crate) fn parse_prefix(text: &str) -> Result<(Value, usize), LiteralError> {
    let mut r = Reader {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    let v = r.value(0)?;
    Ok((v, r.pos))
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Value, LiteralError> {
        if depth >= MAX_DEPTH {
            return Err(LiteralError::TooDeep);
        }
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(LiteralError::Incomplete);
        };
        match c {
            b'{' => self.object(depth),
            b'[' => self.array(depth, b']'),
            b'(' => self.array(depth, b')'),
            b'"' | b'\'' => self.string(false).map(Value::String),
            b'b' | b'u' | b'r' | b'B' | b'U' | b'R'
                if matches!(self.s.get(self.pos + 1), Some(b'"' | b'\'')) =>
            {
                let raw = matches!(c, b'r' | b'R');
                self.pos += 1;
                self.string(raw).map(Value::String)
            }
            b'-' | b'+' | b'0'..=b'9' | b'.' => self.number(),
            c if c.is_ascii_alphabetic() => self.word(),
            _ => Err(LiteralError::Invalid),
        }
    }

    fn word(&mut self) -> Result<Value, LiteralError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.pos += 1;
        }
        let w = &self.text[start..self.pos];
        let at_end = self.pos == self.s.len();
        match w {
            "true" | "True" => Ok(Value::Bool(true)),
            "false" | "False" => Ok(Value::Bool(false)),
            "null" | "None" => Ok(Value::Null),
            "NaN" | "nan" | "Infinity" | "inf" => Ok(Value::Number(w.into())),
            // A keyword cut short by the end of a wrapped line.
            _ if at_end
                && [
                    "true", "True", "false", "False", "null", "None", "NaN", "Infinity",
                ]
                .iter()
                .any(|k| k.starts_with(w)) =>
            {
                Err(LiteralError::Incomplete)
            }
            _ => Err(LiteralError::Invalid),
        }
    }

    fn number(&mut self) -> Result<Value, LiteralError> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.pos += 1;
            // -Infinity, -inf
            if self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                let w = self.word()?;
                return match w {
                    Value::Number(n) => {
                        let mut t = String::from(&self.text[start..start + 1]);
                        t.push_str(&n);
                        Ok(Value::Number(t))
                    }
                    _ => Err(LiteralError::Invalid),
                };
            }
        }
        let mut digits = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'0'..=b'9' => digits += 1,
                b'.' | b'e' | b'E' | b'_' => {}
                b'+' | b'-' if matches!(self.s.get(self.pos - 1), Some(b'e' | b'E')) => {}
                _ => break,
            }
            self.pos += 1;
        }
        let t = &self.text[start..self.pos];
        if digits == 0 {
            return if self.pos == self.s.len() {
                Err(LiteralError::Incomplete)
            } else {
                Err(LiteralError::Invalid)
            };
        }
        // Checked with the float grammar (underscores as Python allows them between digits).
        let plain: String = t.chars().filter(|&c| c != '_').collect();
        if plain.parse::<f64>().is_err() {
            return if self.pos == self.s.len() {
                Err(LiteralError::Incomplete)
            } else {
                Err(LiteralError::Invalid)
            };
        }
        Ok(Value::Number(t.into()))
    }

    fn string(&mut self, raw: bool) -> Result<String, LiteralError> {
        let quote = self.s[self.pos];
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while self
                .peek()
                .is_some_and(|b| b != quote && b != b'\\' && b != b'\n')
            {
                self.pos += 1;
            }
            out.push_str(&self.text[start..self.pos]);
            match self.peek() {
                None => return Err(LiteralError::Incomplete),
                Some(b'\n') => return Err(LiteralError::Invalid),
                Some(b) if b == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(_) => {
                    // A backslash.
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(LiteralError::Incomplete);
                    };
                    if raw {
                        out.push('\\');
                        let ch = self.next_char();
                        out.push(ch);
                        continue;
                    }
                    self.pos += 1;
                    match e {
                        b'\\' => out.push('\\'),
                        b'\'' => out.push('\''),
                        b'"' => out.push('"'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'x' => out.push(self.hex_escape(2)?),
                        b'u' => out.push(self.unicode_escape()?),
                        b'U' => out.push(self.hex_escape(8)?),
                        _ => {
                            // Python keeps unknown escapes as written.
                            self.pos -= 1;
                            out.push('\\');
                            let ch = self.next_char();
                            out.push(ch);
                        }
                    }
                }
            }
        }
    }

    fn next_char(&mut self) -> char {
        let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
        self.pos += ch.len_utf8().max(1);
        ch
    }

    fn hex(&mut self, n: usize) -> Result<u32, LiteralError> {
        let Some(digits) = self.s.get(self.pos..self.pos + n) else {
            return if self.s[self.pos..].iter().all(u8::is_ascii_hexdigit) {
                Err(LiteralError::Incomplete)
            } else {
                Err(LiteralError::Invalid)
            };
        };
        let mut v = 0u32;
        for &d in digits {
            let x = (d as char).to_digit(16).ok_or(LiteralError::Invalid)?;
            v = v.checked_mul(16).ok_or(LiteralError::Invalid)? + x;
        }
        self.pos += n;
        Ok(v)
    }

    fn hex_escape(&mut self, n: usize) -> Result<char, LiteralError> {
        let v = self.hex(n)?;
        Ok(char::from_u32(v).unwrap_or('\u{fffd}'))
    }

    /// `\uXXXX`, combining a JSON surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, LiteralError> {
        let hi = self.hex(4)?;
        if (0xD800..0xDC00).contains(&hi) && self.s.get(self.pos..self.pos + 2) == Some(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex(4)?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{fffd}'))
    }

    fn array(&mut self, depth: usize, close: u8) -> Result<Value, LiteralError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(LiteralError::Incomplete),
                Some(b) if b == close => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(_) => {}
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                None => return Err(LiteralError::Incomplete),
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {}
                Some(_) => return Err(LiteralError::Invalid),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, LiteralError> {
        self.pos += 1;
        let mut pairs = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(LiteralError::Incomplete),
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(pairs));
                }
                Some(_) => {}
            }
            let key = match self.value(depth + 1)? {
                Value::String(s) => s,
                Value::Number(n) => n,
                Value::Bool(b) => if b { "True" } else { "False" }.into(),
                Value::Null => "None".into(),
                Value::Array(_) | Value::Object(_) => return Err(LiteralError::Invalid),
            };
            self.skip_ws();
            match self.peek() {
                None => return Err(LiteralError::Incomplete),
                Some(b':') => self.pos += 1,
                Some(_) => return Err(LiteralError::Invalid),
            }
            let v = self.value(depth + 1)?;
            pairs.push((key, v));
            self.skip_ws();
            match self.peek() {
                None => return Err(LiteralError::Incomplete),
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                Some(_) => return Err(LiteralError::Invalid),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_and_json_forms() {
        let (v, n) = parse_prefix("['Temperature']' rest").unwrap();
        assert_eq!(
            v,
            Value::Array(alloc::vec![Value::String("Temperature".into())])
        );
        assert_eq!(&"['Temperature']' rest"[n..], "' rest");
        let v = parse_literal(r"{'a\'b': 'x\ny', 'u': '\u00e9', 'p': '\U0001F600', 'h': '\x41'}")
            .unwrap();
        assert_eq!(v.get("a'b").and_then(Value::as_str), Some("x\ny"));
        assert_eq!(v.get("u").and_then(Value::as_str), Some("\u{e9}"));
        assert_eq!(v.get("p").and_then(Value::as_str), Some("\u{1F600}"));
        assert_eq!(v.get("h").and_then(Value::as_str), Some("A"));
        let v = parse_literal(r#""\ud83d\ude00""#).unwrap();
        assert_eq!(v.as_str(), Some("\u{1F600}"));
        assert_eq!(
            parse_literal("(1, 2,)")
                .unwrap()
                .as_array()
                .map(<[Value]>::len),
            Some(2)
        );
        assert_eq!(
            parse_literal("-Infinity").unwrap().as_number(),
            Some("-Infinity")
        );
        assert_eq!(
            parse_literal("{1: None}").unwrap().get("1"),
            Some(&Value::Null)
        );
    }

    #[test]
    fn incomplete_versus_invalid() {
        for s in [
            "{'a': ",
            "['x', 'y",
            "{'a': Tr",
            "[1, 2",
            "'abc\\",
            "{\"k\": 1.5e",
        ] {
            assert_eq!(
                parse_prefix(s).unwrap_err(),
                LiteralError::Incomplete,
                "{s}"
            );
        }
        for s in ["{'a' 1}", "[1 2]", "}", "{'a': xyz}", "[--]"] {
            assert_eq!(parse_prefix(s).unwrap_err(), LiteralError::Invalid, "{s}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(parse_prefix(&deep).unwrap_err(), LiteralError::TooDeep);
    }
}
