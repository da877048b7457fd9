//! An owned JSON value with one canonical text form: what the inbox keeps
//! (so its state is the same bytes whatever parsed its inputs) and what the
//! webhook parser builds. It is read from, and written to, whatever
//! [`Json`] the caller uses: JS objects in the wasm build,
//! `serde_json::Value` on the host.

use std::fmt::Write as _;

use super::json::Json;

/// A JSON value. Objects keep their members in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in order.
    Object(Vec<(String, Value)>),
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

    /// The number, when this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
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

    /// The canonical JSON text: no white space, members sorted by key (so
    /// whoever parsed a value, its text is the same), numbers in Rust's
    /// shortest form, only `"`, `\` and control characters escaped.
    pub fn to_json_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("null"),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::Number(n) if n.is_finite() => {
                let _ = write!(out, "{n}");
            }
            Self::Number(_) => out.push_str("null"),
            Self::String(text) => write_string(out, text),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                // Objects have few members: an insertion sort is enough, and
                // far smaller in wasm than the standard sorts.
                let mut sorted: Vec<&(String, Value)> = Vec::with_capacity(members.len());
                for member in members {
                    let at = sorted.partition_point(|m| m.0 <= member.0);
                    sorted.insert(at, member);
                }
                for (i, (key, value)) in sorted.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// Reads any parsed JSON. `depth` bounds the nesting read (deeper
    /// values read as `null`), so a hostile body cannot exhaust the stack.
    pub fn read<J: Json>(json: &J, depth: usize) -> Self {
        if depth == 0 || json.is_null() {
            return Self::Null;
        }
        if let Some(text) = json.string() {
            return Self::String(text);
        }
        if let Some(n) = json.number() {
            return Self::Number(n);
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
            Self::Number(n) => J::from_f64(*n),
            Self::String(text) => J::from_str(text),
            Self::Array(items) => J::from_array(items.iter().map(Self::build).collect()),
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

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl Value {
    /// Parses JSON text, nested at most `depth` levels (deeper is refused,
    /// as is anything that is not exactly one JSON value). In the wasm
    /// build this reads a body where it is, in wasm memory, instead of
    /// crossing into JS for every member.
    pub fn parse(text: &str, depth: usize) -> Option<Self> {
        let mut parser = Parser { bytes: text.as_bytes(), at: 0 };
        let value = parser.value(depth)?;
        parser.space();
        (parser.at == parser.bytes.len()).then_some(value)
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
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

    fn literal(&mut self, word: &[u8], value: Value) -> Option<Value> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.space();
        match *self.bytes.get(self.at)? {
            b'{' if depth > 0 => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.space();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        members.push((key, self.value(depth - 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Value::Object(members))
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
                Some(Value::Array(items))
            }
            b'"' => self.string().map(Value::String),
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'n' => self.literal(b"null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        let mut integer = true;
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'0'..=b'9' | b'-' => {}
                b'.' | b'e' | b'E' | b'+' => integer = false,
                _ => break,
            }
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).ok()?;
        // Whole numbers (ids, times) are read as integers; other numbers are
        // rare in webhooks and inboxes and read through the float parser.
        match text.parse::<i64>() {
            Ok(n) if integer && n.unsigned_abs() < (1 << 53) => Some(Value::Number(n as f64)),
            _ => text.parse::<f64>().ok().filter(|n| n.is_finite()).map(Value::Number),
        }
    }

    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.bytes.get(self.at), Some(b'"' | b'\\') | None) {
                if *self.bytes.get(self.at)? < 0x20 {
                    return None;
                }
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).ok()?);
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => {
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
        let text = std::str::from_utf8(self.bytes.get(self.at..self.at + 4)?).ok()?;
        self.at += 4;
        u32::from_str_radix(text, 16).ok()
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
        self.0.get(key).map(ValueRef)
    }
    fn array_len(&self) -> Option<usize> {
        matches!(self.0, Value::Array(_)).then(|| self.0.items().len())
    }
    fn at(&self, index: usize) -> Option<Self> {
        self.0.items().get(index).map(ValueRef)
    }
    fn string(&self) -> Option<String> {
        self.0.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        match self.0 {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
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
