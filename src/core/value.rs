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
