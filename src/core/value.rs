//! An owned JSON value with one canonical text form: what the inbox keeps
//! (so its state is the same bytes whatever parsed its inputs) and what the
//! webhook parser builds. It is read from, and written to, whatever
//! [`Json`] the caller uses: JS objects in the wasm build,
//! `serde_json::Value` on the host.
//!
//! Numbers stay decimal text ([`Number`]): nothing here formats or parses
//! a binary float, so the wasm build links neither Rust's float formatter
//! nor its float parser, and a number passes through exactly as written.

use crate::prelude::*;
use crate::text::{cat, parse_i64, push_decimal};

use ::core::fmt;
use ::core::ops::Range;
use alloc::borrow::Cow;

use super::json::Json;

/// A JSON value. Objects keep their members in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as canonical decimal text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in order.
    Object(Vec<(String, Value)>),
}

/// A JSON number kept as decimal text, never converted to a binary float on
/// the way through.
///
/// The text is canonical, so two numbers are the same value exactly when
/// their texts are equal: it is what `JSON.stringify` writes for the number
/// (`1`, `1.0`, `1e0` and `10e-1` are all `1`; `-0` is `0`; `1e21` is
/// `1e+21`; `0.0000001` is `1e-7`), except that every significant digit
/// given is kept where JS would round to the 17 a double holds. A number
/// that JS wrote (`JSON.stringify`, what the inbox reads) is therefore
/// already in this form, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(String);

/// `count` zeros at the end of `out`.
fn push_zeros(out: &mut String, count: i64) {
    for _ in 0..count {
        out.push('0');
    }
}

/// The largest whole number a double (and so JS) holds exactly: 2^53 - 1.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Number {
    /// Reads JSON number text (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
    /// nothing around it) into its canonical form; `None` for anything
    /// else. A number too large for a double (`1e400`) is kept: it is
    /// valid JSON, and `JSON.parse` reads it as `Infinity`.
    pub fn parse(text: &str) -> Option<Self> {
        let Scan { negative, int, frac, exponent, plain } = Scan::of(text)?;
        if plain && int.len() <= 21 {
            // An integer as JS writes one: its own canonical text.
            let start = usize::from(negative && int == b"0");
            return Some(Self(text.get(start..)?.to_owned()));
        }
        Some(Self::canonical(negative, int, frac, exponent))
    }

    /// The text of `±0.d₁d₂…dₖ × 10^(point)` written as `Number.prototype.toString`
    /// writes it (ECMA-262 Number::toString, with all k digits).
    fn canonical(negative: bool, int: &[u8], frac: &[u8], exponent: i64) -> Self {
        // Loops, not `chain().take_while()` and `skip().collect()`: each
        // adapter chain is its own code in the wasm.
        let mut digits: Vec<u8> = Vec::with_capacity(int.len() + frac.len());
        let mut leading = 0i64;
        for part in [int, frac] {
            for &d in part {
                if d == b'0' && digits.is_empty() {
                    leading += 1;
                } else {
                    digits.push(d);
                }
            }
        }
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        if digits.is_empty() {
            return Self("0".into());
        }
        let k = digits.len() as i64;
        let n = int.len() as i64 + exponent - leading;
        let mut out = String::with_capacity(digits.len() + 8);
        if negative {
            out.push('-');
        }
        let text = |d: &[u8]| ::core::str::from_utf8(d).unwrap_or_default().to_owned();
        if k <= n && n <= 21 {
            out.push_str(&text(&digits));
            push_zeros(&mut out, n - k);
        } else if 0 < n && n <= 21 {
            out.push_str(&text(&digits[..n as usize]));
            out.push('.');
            out.push_str(&text(&digits[n as usize..]));
        } else if -6 < n && n <= 0 {
            out.push_str("0.");
            push_zeros(&mut out, -n);
            out.push_str(&text(&digits));
        } else {
            out.push(char::from(digits[0]));
            if k > 1 {
                out.push('.');
                out.push_str(&text(&digits[1..]));
            }
            out.push_str(if n > 0 { "e+" } else { "e-" });
            push_decimal(&mut out, (n - 1).unsigned_abs(), 1);
        }
        Self(out)
    }

    /// A whole number of a double: `n` truncated toward zero (saturating at
    /// the bounds of an `i64`; `NaN` is 0). Times and counts are whole, and
    /// only whole numbers are written without a float formatter.
    pub fn whole(n: f64) -> Self {
        Self::from(n as i64)
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value, when it is a whole number an `i64` holds.
    pub fn as_i64(&self) -> Option<i64> {
        parse_i64(&self.0)
    }

    /// The nearest double: exact for whole numbers up to 2^53 and for
    /// numbers of at most 15 significant digits and an exponent within
    /// ±22 (every time, id, count and coordinate a webhook or the Graph
    /// writes);
    /// within a few units in the last place beyond that, where a correct
    /// rounding would need the float parser this crate leaves out.
    /// Too large a number is infinite, as in JS.
    pub fn as_f64(&self) -> f64 {
        if let Some(n) = self.as_i64() {
            return n as f64;
        }
        let text = self.0.as_bytes();
        let negative = text.first() == Some(&b'-');
        let (mut mantissa, mut scale, mut at) = (0u64, 0i64, usize::from(negative));
        let mut seen_point = false;
        while let Some(&b) = text.get(at) {
            match b {
                b'0'..=b'9' if mantissa < 100_000_000_000_000_000 => {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    scale -= i64::from(seen_point);
                }
                // Digits beyond 18 only shift the point.
                b'0'..=b'9' => scale += i64::from(!seen_point),
                b'.' => seen_point = true,
                _ => break,
            }
            at += 1;
        }
        if text.get(at).is_some_and(|b| *b == b'e') {
            // `e+21` or `e-7`: the canonical text has one sign.
            scale += parse_i64(self.0.get(at + 1..).unwrap_or_default()).unwrap_or(0);
        }
        const POWERS: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22,
        ];
        // m × 10^scale, in steps of powers a double holds exactly: one
        // correctly rounded operation when both are exact (Clinger's fast
        // path), a few roundings otherwise.
        let (mut value, mut scale) = (mantissa as f64, scale.clamp(-800, 800));
        while scale > 22 {
            value *= 1e22;
            scale -= 22;
        }
        while scale < -22 {
            value /= 1e22;
            scale += 22;
        }
        let power = POWERS[scale.unsigned_abs() as usize];
        let value = if scale >= 0 { value * power } else { value / power };
        if negative {
            -value
        } else {
            value
        }
    }
}

/// The parts of JSON number text, checked against the grammar.
struct Scan<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    exponent: i64,
    /// No fraction and no exponent.
    plain: bool,
}

impl<'a> Scan<'a> {
    fn of(text: &'a str) -> Option<Self> {
        let bytes = text.as_bytes();
        let negative = bytes.first() == Some(&b'-');
        let rest = &bytes[usize::from(negative)..];
        let digits = |from: usize| rest.get(from..).map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count());
        let int_len = digits(0);
        if int_len == 0 || (int_len > 1 && rest[0] == b'0') {
            return None;
        }
        let mut at = int_len;
        let mut frac: &[u8] = &[];
        if rest.get(at) == Some(&b'.') {
            let len = digits(at + 1);
            if len == 0 {
                return None;
            }
            frac = &rest[at + 1..at + 1 + len];
            at += 1 + len;
        }
        let mut exponent: i64 = 0;
        let plain = at == rest.len() && frac.is_empty();
        if matches!(rest.get(at), Some(b'e' | b'E')) {
            at += 1;
            let sign = match rest.get(at) {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => 0,
            };
            at += usize::from(sign != 0);
            let len = digits(at);
            if len == 0 {
                return None;
            }
            // Saturating: an exponent of a million digits is as infinite as one of ten.
            for &d in &rest[at..at + len] {
                exponent = (exponent * 10 + i64::from(d - b'0')).min(1 << 40);
            }
            exponent *= if sign < 0 { -1 } else { 1 };
            at += len;
        }
        (at == rest.len()).then_some(Self { negative, int: &rest[..int_len], frac, exponent, plain })
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Self(cat!(n))
    }
}

impl From<u32> for Number {
    fn from(n: u32) -> Self {
        Self(cat!(n))
    }
}

impl From<i64> for Value {
    /// A whole number.
    fn from(n: i64) -> Self {
        Self::Number(Number::from(n))
    }
}

impl fmt::Display for Number {
    /// The canonical text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Value {
    /// An empty object.
    pub fn object() -> Self {
        Self::Object(Vec::new())
    }

    /// A string value.
    pub fn text(text: impl Into<String>) -> Self {
        Self::String(text.into())
    }

    /// Sets member `key` (replacing one of that name); a no-op on anything
    /// but an object.
    pub fn set(&mut self, key: &str, value: Value) {
        if let Self::Object(members) = self {
            match members.iter_mut().find(|(k, _)| k == key) {
                Some((_, slot)) => *slot = value,
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    /// `self` with member `key` set.
    #[must_use]
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.set(key, value);
        self
    }

    /// Removes member `key`.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let Self::Object(members) = self else { return None };
        let at = members.iter().position(|(k, _)| k == key)?;
        Some(members.remove(at).1)
    }

    /// Member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether `self` and `other` are the same JSON whatever the order of
    /// their members (what their canonical texts would say, without writing
    /// them).
    pub fn same_as(&self, other: &Value) -> bool {
        match (self, other) {
            (Self::Object(a), Self::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(key, value)| other.get(key).is_some_and(|v| value.same_as(v)))
            }
            (Self::Array(a), Self::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y)),
            (a, b) => a == b,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number, when this is one (see [`Number::as_f64`]).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The members, when this is an object.
    pub fn members(&self) -> &[(String, Value)] {
        match self {
            Self::Object(members) => members,
            _ => &[],
        }
    }

    /// The items, when this is an array.
    pub fn items(&self) -> &[Value] {
        match self {
            Self::Array(items) => items,
            _ => &[],
        }
    }

    /// A copy nested at most `depth` levels (deeper values are `null`).
    #[must_use]
    pub fn truncated(&self, depth: usize) -> Self {
        match self {
            _ if depth == 0 => Self::Null,
            Self::Array(items) => Self::Array(items.iter().map(|v| v.truncated(depth - 1)).collect()),
            Self::Object(members) => {
                Self::Object(members.iter().map(|(k, v)| (k.clone(), v.truncated(depth - 1))).collect())
            }
            other => other.clone(),
        }
    }

    /// The canonical JSON text: no white space, members sorted by key (so
    /// whoever parsed a value, its text is the same), numbers in their
    /// canonical form ([`Number`]), only `"`, `\` and control characters
    /// escaped.
    pub fn to_json_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, true, false);
        out
    }

    /// The canonical text (members sorted) with every character beyond
    /// ASCII escaped (see [`write_ascii_string`]): the same value, in the
    /// form that crosses into JS fastest.
    pub fn to_ascii_json_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, true, true);
        out
    }

    /// The JSON text for JS: members in their own order (what a person
    /// reading the object sees), no white space, ASCII only (see
    /// [`write_ascii_string`]).
    pub fn write_json(&self, out: &mut String) {
        self.write(out, false, true);
    }

    fn write(&self, out: &mut String, sorted: bool, ascii: bool) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Number(n) => out.push_str(n.as_str()),
            Self::String(text) => write_escaped(out, text, ascii),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out, sorted, ascii);
                }
                out.push(']');
            }
            Self::Object(members) if sorted => {
                // Objects have few members: an insertion sort is enough, and
                // far smaller in wasm than the standard sorts.
                let mut order: Vec<&(String, Value)> = Vec::with_capacity(members.len());
                for member in members {
                    let at = order.partition_point(|m| m.0 <= member.0);
                    order.insert(at, member);
                }
                write_members(out, order.into_iter(), sorted, ascii);
            }
            Self::Object(members) => write_members(out, members.iter(), sorted, ascii),
        }
    }

    /// Reads any parsed JSON. `depth` bounds the nesting read (deeper
    /// values read as `null`), so a hostile body cannot exhaust the stack.
    /// A number is read from its text ([`Json::number_text`]) where the
    /// JSON gives one, otherwise as a whole number.
    pub fn read<J: Json>(json: &J, depth: usize) -> Self {
        if depth == 0 || json.is_null() {
            return Self::Null;
        }
        if let Some(text) = json.string() {
            return Self::String(text);
        }
        if let Some(n) = json.number() {
            if !n.is_finite() {
                return Self::Null; // as JSON.stringify writes it
            }
            let text = json.number_text().and_then(|t| Number::parse(&t));
            return Self::Number(text.unwrap_or_else(|| Number::whole(n)));
        }
        if let Some(b) = json.boolean() {
            return Self::Bool(b);
        }
        if let Some(len) = json.array_len() {
            return Self::Array(
                (0..len).map(|i| json.at(i).map_or(Self::Null, |v| Self::read(&v, depth - 1))).collect(),
            );
        }
        if json.is_object() {
            return Self::Object(json.entries().into_iter().map(|(k, v)| (k, Self::read(&v, depth - 1))).collect());
        }
        Self::Null
    }

    /// The value as the caller's JSON (a JS object in the wasm build).
    pub fn build<J: Json>(&self) -> J {
        match self {
            Self::Null => J::null(),
            Self::Bool(b) => J::from_bool(*b),
            Self::Number(n) => J::from_f64(n.as_f64()),
            Self::String(text) => J::from_str(text),
            Self::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items {
                    list.push(item.build());
                }
                J::from_array(list)
            }
            Self::Object(members) => {
                let mut object = J::new_object();
                for (key, value) in members {
                    object.set_member(key, value.build());
                }
                object
            }
        }
    }
}

fn write_members<'a>(out: &mut String, members: impl Iterator<Item = &'a (String, Value)>, sorted: bool, ascii: bool) {
    out.push('{');
    for (i, (key, value)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_escaped(out, key, ascii);
        out.push(':');
        value.write(out, sorted, ascii);
    }
    out.push('}');
}

/// `text` as a JSON string of ASCII only, everything else as `\uXXXX` (as
/// Meta writes its bodies): text for JS, whose `TextDecoder` and
/// `JSON.parse` are fastest on one-byte strings.
pub fn write_ascii_string(out: &mut String, text: &str) {
    write_escaped(out, text, true);
}

/// `text` as a JSON string, only `"`, `\` and control characters escaped
/// (and, when `ascii`, every character beyond ASCII). Runs that need no
/// escape are copied whole: this is most of the time spent writing a value.
fn write_escaped(out: &mut String, text: &str, ascii: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let unicode = |out: &mut String, unit: u32| {
        let mut escape = *b"\\u0000";
        for (i, shift) in [12, 8, 4, 0].into_iter().enumerate() {
            escape[2 + i] = HEX[(unit >> shift & 15) as usize];
        }
        out.push_str(::core::str::from_utf8(&escape).unwrap_or_default());
    };
    // The bytes written as they are: one test per byte in the loop that
    // copies runs (most strings are one run).
    let limit = if ascii { 0x80 } else { 0x100 };
    let plain = |b: u8| b >= 0x20 && b != b'"' && b != b'\\' && u32::from(b) < limit;
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    loop {
        while i < bytes.len() && plain(bytes[i]) {
            i += 1;
        }
        // A run ends before an ASCII byte or a leading byte: both sides stay UTF-8.
        out.push_str(text.get(start..i).unwrap_or_default());
        let Some(&b) = bytes.get(i) else { break };
        if b >= 0x80 {
            let c = text.get(i..).and_then(|rest| rest.chars().next()).unwrap_or_default();
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                unicode(out, u32::from(*unit));
            }
            i += c.len_utf8();
        } else {
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                _ => unicode(out, u32::from(b)),
            }
            i += 1;
        }
        start = i;
    }
    out.push('"');
}

impl Value {
    /// Parses JSON text, nested at most `depth` levels (deeper is refused,
    /// as is anything that is not exactly one JSON value). In the wasm
    /// build this reads a body where it is, in wasm memory, instead of
    /// crossing into JS for every member.
    pub fn parse(text: &str, depth: usize) -> Option<Self> {
        Borrowed::parse(text, depth).map(Borrowed::into_value)
    }
}

/// A JSON value that borrows from the text it was read from: a string
/// without escapes and every number are slices of it, and each object and
/// array knows where it stands in it. For readers that only look, and
/// copy what they keep: far fewer allocations than a [`Value`].
#[derive(Clone, Debug, PartialEq)]
pub enum Borrowed<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (valid JSON number text, not canonical).
    Number(&'a str),
    /// A string.
    String(Cow<'a, str>),
    /// An array, and where it stands in the text.
    Array(Vec<Borrowed<'a>>, Range<usize>),
    /// An object, members in order (a repeated key keeps its last value,
    /// as with [`Value::parse`]), and where it stands in the text.
    Object(Vec<(Cow<'a, str>, Borrowed<'a>)>, Range<usize>),
}

impl<'a> Borrowed<'a> {
    /// Parses JSON text as [`Value::parse`] does.
    pub fn parse(text: &'a str, depth: usize) -> Option<Self> {
        Parser::run(text, depth)
    }

    /// A view of a value (its spans are empty).
    pub fn of(value: &'a Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Number(n.as_str()),
            Value::String(text) => Self::String(Cow::Borrowed(text)),
            Value::Array(items) => Self::Array(items.iter().map(Self::of).collect(), 0..0),
            Value::Object(members) => {
                Self::Object(members.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), Self::of(v))).collect(), 0..0)
            }
        }
    }

    /// Member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Self> {
        self.members().iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The members, when this is an object.
    pub fn members(&self) -> &[(Cow<'a, str>, Self)] {
        match self {
            Self::Object(members, _) => members,
            _ => &[],
        }
    }

    /// The items, when this is an array.
    pub fn items(&self) -> &[Self] {
        match self {
            Self::Array(items, _) => items,
            _ => &[],
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn number(&self) -> Option<Number> {
        match self {
            Self::Number(text) => Number::parse(text),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Self::Object(..))
    }

    /// Where this object or array stands in the text it was parsed from
    /// (`None` for anything else, or a view of a [`Value`]).
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Self::Array(_, span) | Self::Object(_, span) if !span.is_empty() => Some(span.clone()),
            _ => None,
        }
    }

    /// The owned value, numbers in their canonical form: strings with an
    /// escape move, the rest are copied out of the text. Each list is a new
    /// allocation of its own length: a `collect` of the borrowed list would
    /// reuse its larger buffer in place, and an inbox holds these for good.
    pub fn into_value(self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(b),
            Self::Number(text) => Number::parse(text).map_or(Value::Null, Value::Number),
            Self::String(text) => Value::String(text.into_owned()),
            Self::Array(items, _) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(item.into_value());
                }
                Value::Array(out)
            }
            Self::Object(members, _) => {
                let mut out = Vec::with_capacity(members.len());
                for (key, value) in members {
                    out.push((key.into_owned(), value.into_value()));
                }
                Value::Object(out)
            }
        }
    }

    /// An owned copy nested at most `depth` levels (deeper values are
    /// `null`), numbers in their canonical form.
    pub fn to_value(&self, depth: usize) -> Value {
        match self {
            _ if depth == 0 => Value::Null,
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(text) => Number::parse(text).map_or(Value::Null, Value::Number),
            Self::String(text) => Value::String(text.as_ref().to_owned()),
            Self::Array(items, _) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(item.to_value(depth - 1));
                }
                Value::Array(out)
            }
            Self::Object(members, _) => {
                let mut out = Vec::with_capacity(members.len());
                for (key, value) in members {
                    out.push((key.as_ref().to_owned(), value.to_value(depth - 1)));
                }
                Value::Object(out)
            }
        }
    }
}

/// Merges the repeated keys of a large object as `JSON.parse` does: each
/// key stays where it first stood, with its last value. One sort of
/// `(0, key, index)`: the very instantiation `Inbox::conversations` links
/// (a sort of another type adds its own code), ties broken by index, so
/// O(n log n) however the keys repeat.
fn merge_repeats<K: AsRef<str>, V>(members: &mut Vec<(K, V)>) {
    // A loop, not `enumerate().map().collect()`: each collect is its own
    // code in the wasm.
    let mut order: Vec<(i64, String, usize)> = Vec::with_capacity(members.len());
    for (i, (k, _)) in members.iter().enumerate() {
        order.push((0, k.as_ref().to_owned(), i));
    }
    crate::core::sort::heapsort(&mut order);
    // Which to drop: `false` is a zeroed allocation, with no `extend_with`
    // of its own in the wasm (as `vec![true; n]` has).
    let mut dropped = vec![false; members.len()];
    let mut run = 0;
    for i in 1..=order.len() {
        if i < order.len() && order[i].1 == order[run].1 {
            dropped[order[i].2] = true;
            continue;
        }
        let (first, last) = (order[run].2, order[i - 1].2);
        if first != last {
            let (head, tail) = members.split_at_mut(last);
            ::core::mem::swap(&mut head[first].1, &mut tail[0].1);
        }
        run = i;
    }
    let mut dropped = dropped.into_iter();
    members.retain(|_| !dropped.next().unwrap_or(false));
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn run(text: &'a str, depth: usize) -> Option<Borrowed<'a>> {
        let mut parser = Self { text, bytes: text.as_bytes(), at: 0 };
        let value = parser.value(depth)?;
        parser.space();
        (parser.at == parser.bytes.len()).then_some(value)
    }

    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        let ok = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(ok);
        ok
    }

    fn literal(&mut self, word: &[u8], value: Option<bool>) -> Option<Borrowed<'a>> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| {
            self.at = end;
            value.map_or(Borrowed::Null, Borrowed::Bool)
        })
    }

    fn value(&mut self, depth: usize) -> Option<Borrowed<'a>> {
        self.space();
        let start = self.at;
        match *self.bytes.get(self.at)? {
            b'{' if depth > 0 => {
                self.at += 1;
                let mut members: Vec<(Cow<'a, str>, Borrowed<'a>)> = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.space();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        let value = self.value(depth - 1)?;
                        // As `JSON.parse`: a repeated key's last value wins, where the key
                        // first stood. Past 32 members a key is pushed unsearched and the
                        // repeats are merged at the end (`merge_repeats`).
                        let at = if members.len() > 32 { None } else { members.iter().position(|(k, _)| *k == key) };
                        match at {
                            Some(at) => members[at].1 = value,
                            None => members.push((key, value)),
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                if members.len() > 33 {
                    merge_repeats(&mut members);
                }
                Some(Borrowed::Object(members, start..self.at))
            }
            b'[' if depth > 0 => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth - 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Borrowed::Array(items, start..self.at))
            }
            b'"' => self.string().map(Borrowed::String),
            b't' => self.literal(b"true", Some(true)),
            b'f' => self.literal(b"false", Some(false)),
            b'n' => self.literal(b"null", None),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// The run of number characters, checked by the grammar of
    /// [`Number::parse`] (never through a float), kept as written.
    fn number(&mut self) -> Option<Borrowed<'a>> {
        let start = self.at;
        while matches!(self.bytes.get(self.at), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.at += 1;
        }
        let text = self.text.get(start..self.at)?;
        Scan::of(text).map(|_| Borrowed::Number(text))
    }

    /// A string: borrowed from the text when it has no escape.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let mut out: Option<String> = None;
        loop {
            let start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                match b {
                    b'"' | b'\\' => break,
                    0..=0x1f => return None,
                    _ => self.at += 1,
                }
            }
            // Runs end at ASCII bytes, so they are whole characters.
            let run = self.text.get(start..self.at)?;
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(match out {
                        None => Cow::Borrowed(run),
                        Some(mut out) => {
                            out.push_str(run);
                            Cow::Owned(out)
                        }
                    });
                }
                _ => {
                    let out = out.get_or_insert_with(String::new);
                    out.push_str(run);
                    self.at += 1;
                    let escape = *self.bytes.get(self.at)?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                // A surrogate pair, as Meta writes emoji.
                                if self.bytes.get(self.at..self.at + 2)? != b"\\u" {
                                    return None;
                                }
                                self.at += 2;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return None;
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            out.push(char::from_u32(code)?);
                        }
                        _ => return None,
                    }
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        digits.iter().try_fold(0u32, |n, &b| Some(n << 4 | char::from(b).to_digit(16)?))
    }
}

/// A borrowed [`Value`] seen through the [`Json`] trait, so that the
/// readers written for any JSON (the webhook parser, the account rule) read
/// the crate's own values too.
#[derive(Clone, Copy, Debug)]
pub struct ValueRef<'a>(pub &'a Value);

static NULL: Value = Value::Null;

/// Values are never parsed from a transport's text through this view.
pub struct NoText;

impl super::secrets::BodyText for NoText {
    fn contains(&self, _: &str) -> bool {
        false
    }
    fn replace_all(&self, _: &str, _: &str) -> Self {
        Self
    }
    fn start(&self, _: usize) -> String {
        String::new()
    }
}

impl Json for ValueRef<'_> {
    type Text = NoText;
    fn parse_text(_: &NoText) -> Option<Self> {
        None
    }
    fn parse(_: &str) -> Option<Self> {
        None
    }
    fn get(&self, key: &str) -> Option<Self> {
        self.0.get(key).filter(|v| !matches!(v, Value::Null)).map(ValueRef)
    }
    fn array_len(&self) -> Option<usize> {
        matches!(self.0, Value::Array(_)).then(|| self.0.items().len())
    }
    fn at(&self, index: usize) -> Option<Self> {
        self.0.items().get(index).filter(|v| !matches!(v, Value::Null)).map(ValueRef)
    }
    fn string(&self) -> Option<String> {
        self.0.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn number_text(&self) -> Option<String> {
        match self.0 {
            Value::Number(n) => Some(n.as_str().to_owned()),
            _ => None,
        }
    }
    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn is_object(&self) -> bool {
        matches!(self.0, Value::Object(_))
    }
    fn is_null(&self) -> bool {
        matches!(self.0, Value::Null)
    }
    fn entries(&self) -> Vec<(String, Self)> {
        self.0.members().iter().map(|(k, v)| (k.clone(), ValueRef(v))).collect()
    }
    fn null() -> Self {
        ValueRef(&NULL)
    }
    // A borrowed view builds nothing: the builders give `null`.
    fn from_bool(_: bool) -> Self {
        ValueRef(&NULL)
    }
    fn from_f64(_: f64) -> Self {
        ValueRef(&NULL)
    }
    fn from_str(_: &str) -> Self {
        ValueRef(&NULL)
    }
    fn from_array(_: Vec<Self>) -> Self {
        ValueRef(&NULL)
    }
    fn new_object() -> Self {
        ValueRef(&NULL)
    }
    fn set_member(&mut self, _: &str, _: Self) {}
}
